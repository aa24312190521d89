/** The keys of an event, exactly as the contract lists them (sorted), for tests of the event shape. */
export const CONTRACT_EVENT_KEYS = [
  'actor',
  'created_at',
  'data',
  'id',
  'ip',
  'merchant_id',
  'request_id',
  'subject',
  'type',
  'user_agent',
];
