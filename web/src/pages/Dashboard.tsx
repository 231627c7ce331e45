import { useState } from "react";
import { Link } from "react-router-dom";
import { adbots } from "../api/adbots";
import { errorMessage } from "../api/client";
import type { Adbot } from "../api/types";
import { BarChart } from "../components/Chart";
import { AsyncBlock, Button, Card, EmptyState, Metric, PageHeader, StatusBadge } from "../components/ui";
import { useToast } from "../components/toast";
import { validityLeft } from "../lib/format";
import { useAsync, useInterval, useNow } from "../lib/hooks";
import { fillSeries } from "../lib/series";
import { HealthDots } from "./adbotParts";

export function Dashboard() {
  const list = useAsync(() => adbots.mine(), []);
  const stats = useAsync(() => adbots.stats(), []);
  useInterval(() => !list.error && adbots.mine().then((d) => list.setData(d)).catch(() => undefined), 15000, !!list.data);
  const t = stats.data;
  const series = stats.data?.deliveries_per_day;

  return (
    <>
      <PageHeader title="My adbots" subtitle="Everything you run, at a glance." actions={<Link className="btn primary" to="/plans">Buy an adbot</Link>} />
      {t && (
        <div className="grid grid-4">
          <Metric icon="send" label="Posts delivered" value={t.success} />
          <Metric icon="alert" label="Failures" value={t.failures} />
          <Metric icon="clock" label="Flood waits honoured" value={t.flood_waits} />
          <Metric icon="bot" label="Running adbots" value={`${t.running} / ${t.adbots}`} />
        </div>
      )}
      {series && (
        <Card title="Deliveries per day" subtitle="Last 14 days, all your adbots.">
          <BarChart data={fillSeries(series.map((p) => ({ at: p.day, deliveries: p.deliveries })), "day", 14, Date.now())} title="Deliveries per day over the last 14 days" />
        </Card>
      )}
      <AsyncBlock
        state={list}
        what="Your adbots"
        empty={(d) =>
          d.length ? null : (
            <Card>
              <EmptyState icon="bot" title="No adbots yet" action={<Link className="btn primary" to="/plans">See plans</Link>}>
                Buy a plan and your adbot appears here, ready to configure.
              </EmptyState>
            </Card>
          )
        }
      >
        {(d) => (
          <div className="grid grid-2">
            {d.map((a) => (
              <AdbotCard key={a.id} adbot={a} onChange={(n) => list.setData((old) => (old ?? []).map((x) => (x.id === n.id ? { ...x, ...n } : x)))} />
            ))}
          </div>
        )}
      </AsyncBlock>
    </>
  );
}

function AdbotCard({ adbot: a, onChange }: { adbot: Adbot; onChange: (a: Adbot) => void }) {
  const now = useNow(30000);
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const left = validityLeft(a.validity_end, now);
  const running = a.status === "RUNNING";
  const toggle = async () => {
    setBusy(true);
    try {
      const r = running ? await adbots.stop(a.id) : await adbots.start(a.id);
      onChange({ ...a, ...r });
      toast(running ? "Adbot stopped" : "Adbot started");
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card adbot-card" aria-labelledby={`adbot-${a.id}`}>
      <div className="adbot-top">
        <div>
          <div className="adbot-title" id={`adbot-${a.id}`}>{a.product.name} <span className="faint">#{a.id}</span></div>
          <div className="small muted" style={{ overflowWrap: "anywhere" }}>{a.post_link || "No post configured yet"}</div>
        </div>
        <StatusBadge status={a.status} pulse={running} />
      </div>
      <div className="adbot-stats">
        <div data-testid="adbot-delivered"><b>{a.stats.success}</b><span>delivered</span></div>
        <div data-testid="adbot-groups"><b>{a.groups_count}</b><span>{a.groups_count === 1 ? "group" : "groups"}</span></div>
        <div><b className={left.tone === "danger" ? "" : ""} style={{ color: left.tone === "warning" ? "var(--warn)" : left.tone === "danger" ? "var(--danger)" : undefined }}>{left.text.replace(" left", "")}</b><span>{left.seconds ? "validity left" : "validity"}</span></div>
      </div>
      <div className="row between">
        <HealthDots assigned={a.sessions_assigned} needed={a.sessions_needed} />
        <div className="row">
          <Link className="btn" to={`/dashboard/adbots/${a.id}`}>Manage</Link>
          {(a.status === "RUNNING" || a.status === "STOPPED") && (
            <Button className={running ? "danger" : "primary"} icon={running ? "stop" : "play"} busy={busy} onClick={toggle}>
              {running ? "Stop" : "Start"}
            </Button>
          )}
          {a.status === "EXPIRED" && <Link className="btn primary" to={`/plans?renew=${a.id}`}>Renew</Link>}
        </div>
      </div>
      {a.status === "QUEUED" && <p className="small muted">Waiting for accounts to be assigned; it starts counting its days once they are.</p>}
    </section>
  );
}
