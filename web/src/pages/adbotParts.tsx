import type { Adbot, AdbotAccount } from "../api/types";

export function accountsOf(a: Adbot): AdbotAccount[] {
  return a.accounts ?? a.sessions ?? [];
}

export function accountTone(acc: AdbotAccount, now = Date.now()): "ok" | "warn" | "danger" | "muted" {
  if (acc.status === "BANNED" || acc.status === "DEAD" || acc.status === "RETIRED") return "danger";
  if (acc.status === "COOLING" || acc.status === "LIMITED") return "warn";
  if (acc.flood_until && Date.parse(acc.flood_until) > now) return "warn";
  if (acc.status === "ASSIGNED" || acc.healthy) return "ok";
  return "muted";
}

export function HealthDots({ adbot }: { adbot: Adbot }) {
  const accs = accountsOf(adbot);
  if (!accs.length) return <span className="faint">{adbot.accounts_count !== undefined ? `${adbot.accounts_count}/${adbot.sessions_needed ?? adbot.accounts_count} accounts` : adbot.sessions_needed ? `${adbot.sessions_needed} accounts` : "No accounts yet"}</span>;
  const healthy = accs.filter((a) => accountTone(a) === "ok").length;
  return (
    <span className="row" style={{ gap: 8 }}>
      <span className="health" aria-hidden="true">
        {accs.map((a, i) => <span key={a.session_id ?? a.id ?? i} className={`health-dot ${accountTone(a)}`} title={`${a.username ? "@" + a.username : a.phone ?? a.phone_number ?? "Account " + (a.session_id ?? i + 1)}: ${a.status}`} />)}
      </span>
      <span className="small muted">{healthy}/{accs.length} healthy</span>
    </span>
  );
}

export function productName(a: Adbot): string {
  return a.product_name ?? a.product?.name ?? (a.product_id ? `Plan #${a.product_id}` : "Adbot");
}
