// Shapes of the JSON the server answers (DESIGN sections 3, 4 and 8). Fields the server may
// not send yet are optional; pages render what is there.

export type Role = "USER" | "ADMIN";
export type UserStatus = "ACTIVE" | "SUSPENDED";

export interface User {
  id: number;
  email: string;
  role: Role;
  status: UserStatus;
  license_key: string;
  created_at: string;
  last_login_at: string | null;
}

export interface Session {
  token: string;
  refresh_token?: string;
  expires_in: number;
  user: User;
}

export interface IssuedCode {
  id: number;
  email: string;
  role: Role;
  access_code: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: number | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_user_id: number | null;
  action: string;
  target_type: string | null;
  target_id: number | null;
  detail: unknown;
  client_address: string | null;
}

export type Tier = "STARTER" | "ENTERPRISE";
export type Distribution = "EVEN" | "ALL";

export interface Product {
  id: number;
  name: string;
  tier: Tier;
  sessions_count: number;
  posting_interval_seconds: number;
  price: number;
  currency: string;
  validity_days: number;
  distribution?: Distribution;
  max_groups?: number;
  daily_cap_per_account?: number;
  active?: boolean;
  description?: string;
}

export type OrderStatus = "PENDING" | "PAID" | "FAILED" | "EXPIRED" | "REFUNDED";

export interface Order {
  id: number;
  user_id?: number;
  product_id: number;
  product_name?: string;
  adbot_id?: number | null;
  amount: number;
  currency: string;
  status: OrderStatus;
  created_at: string;
  paid_at?: string | null;
  user_email?: string;
}

export interface Payment {
  id?: number;
  order_id?: number;
  provider?: string;
  pay_address: string;
  pay_amount: number | string;
  pay_currency: string;
  payin_extra_id?: string | null;
  valid_until?: string | null;
  status?: string;
  actually_paid?: number | string | null;
  flagged?: boolean;
  flag_reason?: string | null;
  created_at?: string;
  /** Demo mode: the server offers a "simulate payment" action. */
  simulate?: boolean;
}

export interface PaymentCreated {
  order: Order;
  payment: Payment;
  demo?: boolean;
}

export interface PaymentStatus {
  order: Order;
  payment?: Payment;
  adbot_id?: number | null;
  demo?: boolean;
}

export type AdbotStatus = "STOPPED" | "RUNNING" | "QUEUED" | "EXPIRED" | "SUSPENDED";

export interface AdbotAccount {
  id?: number;
  session_id?: number;
  username?: string | null;
  /** Masked by the server. */
  phone?: string | null;
  phone_number?: string | null;
  status: string;
  flood_until?: string | null;
  sends_today?: number;
  status_reason?: string | null;
  healthy?: boolean;
}

export interface AdbotGroup {
  target: string;
  position?: number;
  state?: string;
  last_error?: string | null;
  /** What each account knows of this group (slow mode, errors). */
  accounts?: { session_id: number; state: string; next_allowed_at?: string | null; last_error?: string | null }[];
}

export interface AdbotStats {
  posts?: number;
  success?: number;
  failures?: number;
  flood_waits?: number;
  last_activity?: string | null;
}

export interface Adbot {
  id: number;
  user_id?: number;
  user_email?: string;
  order_id?: number;
  product_id?: number;
  product_name?: string;
  product?: Partial<Product>;
  status: AdbotStatus;
  validity_start?: string | null;
  validity_end?: string | null;
  post_link?: string | null;
  cycle_no?: number;
  next_run_at?: string | null;
  groups?: AdbotGroup[];
  groups_count?: number;
  accounts_count?: number;
  sessions_needed?: number;
  posting_interval_seconds?: number;
  distribution?: Distribution;
  max_groups?: number;
  daily_cap_per_account?: number;
  stop_reason?: string | null;
  accounts?: AdbotAccount[];
  sessions?: AdbotAccount[];
  stats?: AdbotStats;
}

export interface AdbotEvent {
  id?: number;
  at: string;
  kind: string;
  session_id?: number | null;
  target?: string | null;
  wait_seconds?: number | null;
  detail?: string | null;
}

export interface RejectedGroup {
  target?: string;
  input?: string;
  reason: string;
}

export interface Advertisement {
  adbot_id?: number;
  post_link: string | null;
  groups: (string | AdbotGroup)[];
  rejected?: RejectedGroup[];
  max_groups?: number;
}

export interface StatsPoint {
  at?: string;
  hour?: string;
  day?: string;
  sent?: number;
  success?: number;
  failures?: number;
  failed?: number;
  deliveries?: number;
  count?: number;
}

export interface UserStats extends AdbotStats {
  adbots?: number;
  running?: number;
  deliveries_per_day?: StatsPoint[];
}

export interface Notification {
  id: number;
  kind?: string;
  type?: string;
  title?: string;
  message?: string;
  body?: string;
  created_at: string;
  read_at?: string | null;
  read?: boolean;
}

export type StockStatus = "UNUSED" | "ASSIGNED" | "COOLING" | "LIMITED" | "BANNED" | "DEAD" | "RETIRED";

export interface StockAccount {
  id: number;
  phone_number: string;
  api_id?: number;
  dc_id?: number;
  server_address?: string;
  port?: number;
  status: StockStatus;
  assigned_to_adbot_id?: number | null;
  assigned_to_user_id?: number | null;
  flood_until?: string | null;
  sends_today?: number;
  status_reason?: string | null;
  updated_at?: string;
  created_at?: string;
}

export interface StockOverview {
  counts: Partial<Record<StockStatus, number>>;
  low_stock: boolean;
  threshold?: number;
}

export interface BlocklistEntry {
  id: number;
  target: string;
  reason?: string | null;
  source?: string | null;
  status?: string;
  contact?: string | null;
  created_at?: string;
  decided_at?: string | null;
}

export interface RevenueLine {
  currency: string;
  orders: number;
  total: number;
}

export interface AdminDashboard {
  revenue?: RevenueLine[];
  running_adbots?: number;
  adbots?: Record<string, number>;
  deliveries_per_hour?: StatsPoint[];
  deliveries_last_hour?: number;
  users?: number;
  stock?: Partial<Record<StockStatus, number>>;
}
