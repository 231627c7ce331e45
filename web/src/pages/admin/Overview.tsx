import { Link } from "react-router-dom";
import { adminMetrics } from "../../api/admin";
import { isNotAvailable } from "../../api/client";
import { stockApi } from "../../api/stock";
import type { AdminDashboard } from "../../api/types";
import { BarChart } from "../../components/Chart";
import { Alert, AsyncBlock, Card, EmptyState, Metric, PageHeader, Skeleton } from "../../components/ui";
import { formatMoney, titleCase } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";
import { fillSeries } from "../../lib/series";

function revenueText(d: AdminDashboard): string {
  const lines = d.revenue;
  if (!lines.length) return formatMoney(0, "USD");
  return lines.map((l) => formatMoney(l.total, l.currency)).join(" + ");
}

export function AdminOverview() {
  const dash = useAsync(() => adminMetrics.dashboard(), []);
  const stock = useAsync(() => stockApi.overview(), []);
  useInterval(() => {
    adminMetrics.dashboard().then((d) => dash.setData(d)).catch(() => undefined);
  }, 30000, !!dash.data);

  const d = dash.data;
  const perHour = d ? d.deliveries_per_hour : null;
  const paidOrders = d ? d.revenue.reduce((n, l) => n + l.orders, 0) : 0;
  // The stock counts: from the stock overview (with the low-stock flag), else the dashboard's.
  const stockCounts = stock.data ? stock.data.counts : d?.stock;

  return (
    <>
      <PageHeader title="Overview" subtitle="How the platform is doing right now." />
      {dash.notAvailable && <Alert kind="info" title="Live metrics are not available yet">Revenue, running adbots and deliveries appear here once the server reports them. Users and stock below are live.</Alert>}
      <div className="grid grid-4">
        <Metric icon="wallet" label="Revenue" value={d ? revenueText(d) : dash.loading ? <Skeleton lines={1} /> : "—"} sub={d ? `${paidOrders} paid order${paidOrders === 1 ? "" : "s"}` : "paid orders"} />
        <Metric icon="bot" label="Running adbots" value={d ? d.running_adbots : dash.loading ? <Skeleton lines={1} /> : "—"} />
        <Metric icon="send" label="Deliveries / hour" value={d ? d.deliveries_last_hour : dash.loading ? <Skeleton lines={1} /> : "—"} />
        <Metric icon="users" label="Users" value={d ? d.users : dash.loading ? <Skeleton lines={1} /> : "—"} sub={<Link to="/admin/users">Manage users</Link>} />
      </div>
      {perHour && (
        <Card title="Deliveries per hour" subtitle="Last 24 hours, every adbot.">
          <BarChart data={fillSeries(perHour.map((p) => ({ at: p.hour, deliveries: p.deliveries })), "hour", 24, Date.now())} title="Deliveries per hour over the last 24 hours" />
        </Card>
      )}
      <div className="grid grid-2">
        <Card title="Stock" subtitle="Telegram accounts available to fulfil orders." actions={<Link className="btn sm" to="/admin/stock">Manage stock</Link>}>
          {stockCounts ? (
            <div className="stack">
              {stock.data?.low_stock && <Alert kind="warn" title="Low stock">Upload more accounts: new orders will wait in the queue.</Alert>}
              <div className="stock-counts">
                {Object.entries(stockCounts).map(([k, v]) => (
                  <div className="stock-count" key={k}><b>{v}</b><span className="faint">{titleCase(k)}</span></div>
                ))}
              </div>
            </div>
          ) : stock.notAvailable && (dash.notAvailable || dash.data) ? (
            <EmptyState icon="cloudoff" title="Not available yet">Stock figures are not offered by this server yet.</EmptyState>
          ) : stock.error && !stock.notAvailable ? (
            <AsyncBlock state={stock} what="Stock">{() => null}</AsyncBlock>
          ) : (
            <Skeleton />
          )}
        </Card>
        <Card title="Adbots by status" actions={<Link className="btn sm" to="/admin/adbots">All adbots</Link>}>
          {d ? (
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
