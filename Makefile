# Developer entry points. `make help` lists them. The first six are thin wrappers of npm scripts;
# the rest drive Docker, kind/minikube, skaffold and Helm. helm and kubectl come from PATH, or
# from the npm package the tests use (tools/k8s-tools.ts) when they are not installed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

include k8s/minikube.env

HELM ?= $(shell command -v helm 2>/dev/null || node --import tsx tools/k8s-tools.ts path helm)
KUBECTL ?= $(shell command -v kubectl 2>/dev/null || node --import tsx tools/k8s-tools.ts path kubectl)
KIND ?= kind
MINIKUBE ?= minikube
SKAFFOLD ?= skaffold
DOCKER ?= docker

RELEASE ?= merchant-platform
NAMESPACE ?= merchant-platform
CHART := charts/merchant-platform
VALUES ?= k8s/values-local.yaml
IMAGE_REGISTRY ?=
IMAGE_TAG ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
SERVICES := auth merchants email
KIND_CLUSTER := merchant-platform
INGRESS_NGINX_KIND_MANIFEST ?= https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml

.PHONY: help install start dev test lint build images kind-up kind-down minikube-up minikube-down cluster-dev deploy undeploy chart-lint chart-test manifests bench

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Install the dependencies (npm install)
	npm install

start: ## Build and run everything in one process on SQLite (npm start)
	npm start

dev: ## Run everything in one process from the sources, restarting on change (npm run dev)
	npm run dev

test: ## Run every test (npm test)
	npm test

lint: ## Lint and type-check (npm run lint)
	npm run lint

build: ## Compile every workspace (npm run build)
	npm run build

images: ## Build the auth, merchants and email images (IMAGE_REGISTRY, IMAGE_TAG)
	@for svc in $(SERVICES); do \
	  $(DOCKER) build --target $$svc -t $(if $(IMAGE_REGISTRY),$(IMAGE_REGISTRY)/)merchant-platform/$$svc:$(IMAGE_TAG) . || exit 1; \
	done

kind-up: ## Create the kind cluster (k8s/kind-cluster.yaml) with ingress-nginx
	$(KIND) get clusters | grep -qx $(KIND_CLUSTER) || $(KIND) create cluster --config k8s/kind-cluster.yaml
	$(KUBECTL) --context kind-$(KIND_CLUSTER) apply -f $(INGRESS_NGINX_KIND_MANIFEST)
	$(KUBECTL) --context kind-$(KIND_CLUSTER) -n ingress-nginx wait --for=condition=Ready pod -l app.kubernetes.io/component=controller --timeout=180s

kind-down: ## Delete the kind cluster
	$(KIND) delete cluster --name $(KIND_CLUSTER)

minikube-up: ## Start minikube (k8s/minikube.env) with the ingress and metrics-server addons
	$(MINIKUBE) start -p $(MINIKUBE_PROFILE) --kubernetes-version=$(MINIKUBE_KUBERNETES_VERSION) \
	  --cpus=$(MINIKUBE_CPUS) --memory=$(MINIKUBE_MEMORY) --cni=$(MINIKUBE_CNI) \
	  $(foreach addon,$(MINIKUBE_ADDONS),--addons=$(addon))
	$(KUBECTL) --context $(MINIKUBE_PROFILE) -n ingress-nginx wait --for=condition=Ready pod -l app.kubernetes.io/component=controller --timeout=180s

minikube-down: ## Delete the minikube cluster
	$(MINIKUBE) delete -p $(MINIKUBE_PROFILE)

cluster-dev: ## Build, deploy and watch with skaffold on the current kind/minikube context (add PROFILES=sync for live sources)
	$(SKAFFOLD) dev --port-forward $(if $(PROFILES),-p $(PROFILES))

deploy: ## helm upgrade --install --wait the chart (VALUES, IMAGE_REGISTRY, IMAGE_TAG, RELEASE, NAMESPACE)
	$(HELM) dependency build $(CHART)
	$(HELM) upgrade --install $(RELEASE) $(CHART) --namespace $(NAMESPACE) --create-namespace \
	  --values $(VALUES) --set image.registry=$(IMAGE_REGISTRY) --set image.tag=$(IMAGE_TAG) \
	  --wait --timeout 10m
	$(HELM) test $(RELEASE) --namespace $(NAMESPACE) --logs

undeploy: ## helm uninstall the release (the generated Secrets and MySQL's volume are kept)
	$(HELM) uninstall $(RELEASE) --namespace $(NAMESPACE) --wait

chart-lint: ## helm lint --strict both charts
	$(HELM) dependency build $(CHART)
	@# lint cannot read a cluster, so the charts generate no secret there: name existing ones.
	$(HELM) lint --strict $(CHART) --set secrets.existingSecret=lint,mysql.auth.existingSecret=lint
	$(HELM) lint --strict charts/mysql --set auth.existingSecret=lint

chart-test: ## The chart, manifest, Dockerfile and skaffold tests (test/k8s) alone
	npx mocha --no-config --node-option conditions=source --node-option import=tsx --extension ts \
	  --timeout 20000 --exit 'test/k8s/**/*.test.ts'

manifests: ## Render k8s/manifests from the chart (commit the result)
	node --import tsx tools/render-manifests.ts

bench: ## Run the benchmarks (npm run bench)
	npm run bench
