import { Link } from "react-router-dom";
import { adminMetrics, adminUsers } from "../../api/admin";
import { isNotAvailable } from "../../api/client";
import { stockApi } from "../../api/stock";
import type { AdminDashboard, StatsPoint } from "../../api/types";
import { BarChart } from "../../components/Chart";
import { Alert, AsyncBlock, Card, EmptyState, Metric, PageHeader, Skeleton } from "../../components/ui";
import { formatMoney, titleCase } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";
import { bucketsFromSeries } from "../../lib/series";

function revenueText(d: AdminDashboard): string {
  const r = d.revenue;
  if (typeof r === "number") return formatMoney(r, d.revenue_currency ?? "USD");
  if (r && typeof r === "object") {
    const first = Object.entries(r)[0];
    if (first) return typeof first[1] === "number" ? formatMoney(first[1], d.revenue_currency ?? "USD") : String(first[1]);
  }
  return "—";
}

export function AdminOverview() {
  const dash = useAsync(() => adminMetrics.dashboard(), []);
  const stock = useAsync(() => stockApi.overview(), []);
  const users = useAsync(() => adminUsers.list({ limit: 200 }), []);
  useInterval(() => {
    adminMetrics.dashboard().then((d) => dash.setData(d)).catch(() => undefined);
  }, 30000, !!dash.data);

  const d = dash.data;
  const perHour = d && Array.isArray(d.deliveries_per_hour) ? (d.deliveries_per_hour as StatsPoint[]) : null;
  const dph = d ? (typeof d.deliveries_per_hour === "number" ? d.deliveries_per_hour : d.deliveries_last_hour ?? (perHour ? perHour[perHour.length - 1]?.sent ?? perHour[perHour.length - 1]?.success ?? 0 : undefined)) : undefined;
  const customers = users.data?.items.filter((u) => u.role === "USER").length;

  return (
    <>
      <PageHeader title="Overview" subtitle="How the platform is doing right now." />
      {dash.notAvailable && <Alert kind="info" title="Live metrics are not available yet">Revenue, running adbots and deliveries appear here once the server reports them. Users and stock below are live.</Alert>}
      <div className="grid grid-4">
        <Metric icon="wallet" label="Revenue" value={d ? revenueText(d) : dash.loading ? <Skeleton lines={1} /> : "—"} sub="paid orders" />
        <Metric icon="bot" label="Running adbots" value={d?.running_adbots ?? d?.adbots?.RUNNING ?? (dash.loading ? <Skeleton lines={1} /> : "—")} />
        <Metric icon="send" label="Deliveries / hour" value={dph ?? (dash.loading ? <Skeleton lines={1} /> : "—")} />
        <Metric icon="users" label="Customers" value={customers ?? (users.loading ? <Skeleton lines={1} /> : "—")} sub={users.data?.next_cursor ? "first 200 shown" : <Link to="/admin/users">Manage users</Link>} />
      </div>
      {perHour && perHour.length > 0 && (
        <Card title="Deliveries per hour">
          <BarChart data={bucketsFromSeries(perHour)} title="Deliveries per hour" />
        </Card>
      )}
      <div className="grid grid-2">
        <Card title="Stock" subtitle="Telegram accounts available to fulfil orders." actions={<Link className="btn sm" to="/admin/stock">Manage stock</Link>}>
          {stock.notAvailable ? (
            <EmptyState icon="cloudoff" title="Not available yet">Stock management is not offered by this server yet.</EmptyState>
          ) : (
            <AsyncBlock state={stock} what="Stock">
              {(s) => (
                <div className="stack">
                  {s.low_stock && <Alert kind="warn" title="Low stock">Upload more accounts: new orders will wait in the queue.</Alert>}
                  <div className="stock-counts">
                    {Object.entries(s.counts).map(([k, v]) => (
                      <div className="stock-count" key={k}><b>{v}</b><span className="faint">{titleCase(k)}</span></div>
                    ))}
                  </div>
                </div>
              )}
            </AsyncBlock>
          )}
        </Card>
        <Card title="Adbots by status" actions={<Link className="btn sm" to="/admin/adbots">All adbots</Link>}>
          {d?.adbots && typeof d.adbots === "object" ? (
            <div className="stock-counts">
              {Object.entries(d.adbots).map(([k, v]) => (
                <div className="stock-count" key={k}><b>{String(v)}</b><span className="faint">{titleCase(k)}</span></div>
              ))}
            </div>
          ) : dash.error && !isNotAvailable(dash.error) ? (
            <AsyncBlock state={dash} what="Metrics">{() => null}</AsyncBlock>
          ) : dash.loading ? (
            <Skeleton />
          ) : (
            <EmptyState icon="bot" title="No figures yet">Adbot counts appear here once the server reports them.</EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}
