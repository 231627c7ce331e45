import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { catalog } from "../api/commerce";
import type { Product, Tier } from "../api/types";
import { Icon } from "../components/Icon";
import { AsyncBlock, Card, EmptyState, PageHeader } from "../components/ui";
import { formatInterval, formatMoney, pluralize } from "../lib/format";
import { useAsync } from "../lib/hooks";

export function planFeatures(p: Product): string[] {
  const f = [
    `${pluralize(p.sessions_count, "Telegram account")} posting for you`,
    `Posts ${formatInterval(p.posting_interval_seconds)}`,
    `${p.validity_days} days of service`,
  ];
  if (p.max_groups) f.push(`Up to ${p.max_groups} groups`);
  if (p.distribution) f.push(p.distribution === "ALL" ? "Every account posts to every group" : "Groups shared out between accounts");
  if (p.daily_cap_per_account) f.push(`Up to ${p.daily_cap_per_account} posts per account per day`);
  return f;
}

export function Plans() {
  const [params] = useSearchParams();
  const renew = params.get("renew");
  const state = useAsync(() => catalog.list(), []);
  const tiers = useMemo(() => Array.from(new Set((state.data ?? []).map((p) => p.tier))), [state.data]);
  const [tier, setTier] = useState<Tier | null>(null);
  const shown = (state.data ?? []).filter((p) => p.active && (!tier || p.tier === tier || tiers.length < 2));
  const active = tier ?? tiers[0] ?? null;
  const list = tiers.length > 1 ? shown.filter((p) => p.tier === active) : shown;
  const featured = list.length > 2 ? list[1].id : null;

  return (
    <>
      <PageHeader
        title={renew ? `Renew adbot #${renew}` : "Plans"}
        subtitle={renew ? "Pick the plan for the renewal: the new days are added to what is left." : "Pick a plan. Your adbot is ready as soon as the payment is confirmed."}
        actions={
          tiers.length > 1 ? (
            <div className="tier-tabs" role="group" aria-label="Plan tier">
              {tiers.map((t) => (
                <button key={t} aria-pressed={active === t} onClick={() => setTier(t)}>
                  {t === "STARTER" ? "Starter" : t === "ENTERPRISE" ? "Enterprise" : t}
                </button>
              ))}
            </div>
          ) : undefined
        }
      />
      <AsyncBlock
        state={state}
        what="The plan catalogue"
        empty={(d) => (d.filter((p) => p.active !== false).length ? null : <Card><EmptyState icon="plans" title="No plans on sale right now">Please check back soon.</EmptyState></Card>)}
      >
        {() => (
          <div className="plans">
            {list.map((p) => (
              <section key={p.id} className={`card plan${featured === p.id ? " featured" : ""}`} aria-labelledby={`plan-${p.id}`}>
                {featured === p.id && <span className="plan-flag">Popular</span>}
                <div>
                  <h2 id={`plan-${p.id}`}>{p.name}</h2>
                  <div className="faint">{p.tier === "ENTERPRISE" ? "Enterprise" : "Starter"}</div>
                </div>
                <div className="plan-price">
                  {formatMoney(p.price, p.currency)} <small>/ {p.validity_days} days</small>
                </div>
                <ul>
                  {planFeatures(p).map((f) => (
                    <li key={f}>
                      <Icon name="check" size={16} />
                      {f}
                    </li>
                  ))}
                </ul>
                <Link className={`btn ${featured === p.id ? "primary" : ""} block`} to={`/checkout?product=${p.id}${renew ? `&adbot=${renew}` : ""}`} aria-label={`Choose ${p.name}`}>
                  Choose {p.name}
                </Link>
              </section>
            ))}
          </div>
        )}
      </AsyncBlock>
    </>
  );
}
