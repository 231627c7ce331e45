import type { AdbotAccount } from "../api/types";
import { formatDuration, pluralize } from "../lib/format";
import { cannotJoin, NO_JOINS_LABEL, stockStatus } from "../lib/states";

export function accountTone(acc: AdbotAccount, now = Date.now()): "ok" | "warn" | "danger" | "muted" {
  if (acc.status === "BANNED" || acc.status === "DEAD" || acc.status === "RETIRED" || acc.status === "FROZEN") return "danger";
  if (acc.status === "COOLING" || acc.status === "LIMITED") return "warn";
  if (acc.flood_until && Date.parse(acc.flood_until) > now) return "warn";
  if (cannotJoin(acc)) return "warn";
  if (acc.healthy) return "ok";
  return "muted";
}

/** An account's state in words: its status, a wait, or that it can join no more groups. */
export function accountLabel(acc: AdbotAccount, now = Date.now()): string {
  if (acc.flood_until && Date.parse(acc.flood_until) > now) return `Waiting ${formatDuration((Date.parse(acc.flood_until) - now) / 1000)}`;
  if (acc.status === "ASSIGNED" && cannotJoin(acc)) return NO_JOINS_LABEL;
  return stockStatus(acc.status).label;
}

/** "2 accounts", "1 account · 1 on the way", "No accounts yet · 2 on the way". */
export function accountsText(assigned: number, needed: number): string {
  const has = assigned > 0 ? pluralize(assigned, "account") : "No accounts yet";
  return needed > 0 ? `${has} · ${needed} on the way` : has;
}

/**
 * The adbot's accounts: a dot per account when their health is known (the detail page), else
 * the count (the list sends `sessions_assigned` and `sessions_needed`, still to assign).
 */
export function HealthDots({ accounts, assigned, needed }: { accounts?: AdbotAccount[]; assigned: number; needed: number }) {
  if (!accounts || !accounts.length) return <span className="faint" data-testid="accounts-count">{accountsText(assigned, needed)}</span>;
  const healthy = accounts.filter((a) => accountTone(a) === "ok").length;
  return (
    <span className="row" style={{ gap: 8 }}>
      <span className="health" aria-hidden="true">
        {accounts.map((a) => <span key={a.session_id} className={`health-dot ${accountTone(a)}`} title={`${a.username ? "@" + a.username : a.phone}: ${accountLabel(a)}`} />)}
      </span>
      <span className="small muted" data-testid="accounts-count">{healthy}/{accounts.length} healthy{needed > 0 ? ` · ${needed} on the way` : ""}</span>
    </span>
  );
}
