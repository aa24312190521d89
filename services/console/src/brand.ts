import { z } from 'zod';

/** How the console looks to a merchant: set through the environment, never a fork of the views. */
export interface Brand {
  productName: string;
  /** A path on this site or an https URL; its origin is allowed as an image source. */
  logoUrl: string | undefined;
  /** `#rrggbb`: buttons, links and the header bar. */
  accentColor: string;
}

export const brandEnvShape = {
  CONSOLE_PRODUCT_NAME: z.string().min(1).max(60).default('Merchant Platform'),
  CONSOLE_LOGO_URL: z
    .string()
    .refine((v) => v.startsWith('/') || /^https:\/\/[^/]+/.test(v), 'must be a path on this site (/...) or an https URL')
    .optional(),
  CONSOLE_ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
    .default('#1f5fbf'),
};

export function brandFrom(config: {
  CONSOLE_PRODUCT_NAME: string;
  CONSOLE_LOGO_URL?: string | undefined;
  CONSOLE_ACCENT_COLOR: string;
}): Brand {
  return { productName: config.CONSOLE_PRODUCT_NAME, logoUrl: config.CONSOLE_LOGO_URL, accentColor: config.CONSOLE_ACCENT_COLOR };
}

/** The logo's origin when it is hosted elsewhere, for the Content-Security-Policy's img-src. */
export function logoOrigins(brand: Brand): string[] {
  return brand.logoUrl?.startsWith('https://') ? [new URL(brand.logoUrl).origin] : [];
}
