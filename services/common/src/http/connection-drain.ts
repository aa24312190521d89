import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * How long a socket that was idle when the drain began may still bring one more request. A
 * keep-alive client may already have written its next request when the server decides the
 * socket is idle; closing it then resets that request. A socket that carries a request during
 * the drain closes right after its answer instead (`Connection: close`), without that race.
 */
const IDLE_LINGER_MS = 1_000;

/**
 * Drains a server under keep-alive load: stops accepting, answers every request from then on
 * with `Connection: close`, closes each socket as soon as its last request is answered, and
 * calls `onDrained` once the last socket is gone.
 */
export class ConnectionDrain {
  private readonly responsesInFlight = new Map<Socket, Set<ServerResponse>>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.responsesInFlight.set(socket, new Set());
      socket.once('close', () => this.responsesInFlight.delete(socket));
    });
    // Prepended so the header is set before the app's handler can answer.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.track(req.socket, res));
  }

  start(onDrained: () => void): void {
    this.draining = true;
    // http.Server#close would also destroy every idle socket at once, racing the next request
    // a keep-alive client may already have sent; net.Server#close only stops accepting.
    NetServer.prototype.close.call(this.server, () => onDrained());
    for (const [socket, responses] of this.responsesInFlight) {
      for (const res of responses) if (!res.headersSent) res.setHeader('Connection', 'close');
      if (responses.size === 0) this.closeIfStillIdle(socket);
    }
  }

  private track(socket: Socket, res: ServerResponse): void {
    const responses = this.responsesInFlight.get(socket);
    responses?.add(res);
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      responses?.delete(res);
      // Only a response whose headers went out before the drain leaves its socket open here.
      if (this.draining && responses?.size === 0) this.closeIfStillIdle(socket);
    });
  }

  private closeIfStillIdle(socket: Socket): void {
    setTimeout(() => {
      if (this.responsesInFlight.get(socket)?.size === 0) socket.destroy();
    }, IDLE_LINGER_MS).unref();
  }
}
