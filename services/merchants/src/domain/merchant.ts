import type { MemberContact } from './membership.js';

/** A merchant profile as the domain sees it; the repository maps rows to and from this. */
export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
}

export interface Merchant {
  id: string;
  user_id: string;
  business_name: string;
  business_type: string | null;
  phone: string | null;
  website: string | null;
  address: Address;
  currency: string;
  created_at: Date;
  updated_at: Date;
}

export type MerchantProfileInput = Omit<Merchant, 'id' | 'user_id' | 'created_at' | 'updated_at'>;

export interface MerchantRepository {
  findByUserId(userId: string): Promise<Merchant | undefined>;
  findById(id: string): Promise<Merchant | undefined>;
  findByIds(ids: string[]): Promise<Merchant[]>;
  /**
   * Inserts the user's profile and, in the same transaction, their owner membership; undefined
   * when the user already has a profile (lost race).
   */
  insert(owner: MemberContact & { userId: string }, profile: MerchantProfileInput): Promise<Merchant | undefined>;
  updateForUser(userId: string, profile: MerchantProfileInput): Promise<Merchant | undefined>;
  updateById(id: string, profile: MerchantProfileInput): Promise<Merchant | undefined>;
  listPage(limit: number, after: { createdAt: Date; id: string } | undefined): Promise<Merchant[]>;
}
