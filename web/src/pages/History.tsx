import { Link } from "react-router-dom";
import { orders } from "../api/commerce";
import { AsyncBlock, Card, EmptyState, PageHeader, StatusBadge } from "../components/ui";
import { formatDateTime, formatMoney } from "../lib/format";
import { planName } from "../lib/payment";
import { useAsync } from "../lib/hooks";

export function History() {
  const state = useAsync(() => orders.mine(), []);
  return (
    <>
      <PageHeader title="Order history" subtitle="Every plan you bought or renewed." />
      <Card flush>
        <AsyncBlock
          state={state}
          what="Order history"
          skeleton
          empty={(d) => (d.length ? null : <EmptyState icon="history" title="No orders yet" action={<Link className="btn primary" to="/plans">See plans</Link>}>Your purchases will be listed here.</EmptyState>)}
        >
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead>
                  <tr><th>Order</th><th>Plan</th><th>Amount</th><th>Status</th><th>Created</th><th>Paid</th><th /></tr>
                </thead>
                <tbody>
                  {d.map((o) => (
                    <tr key={o.id}>
                      <td data-label="Order">#{o.id}{o.kind === "RENEWAL" ? <span className="faint"> · renewal</span> : null}</td>
                      <td data-label="Plan">{planName(o)}</td>
                      <td data-label="Amount">{formatMoney(o.amount, o.currency)}</td>
                      <td data-label="Status"><StatusBadge status={o.status} /></td>
                      <td data-label="Created">{formatDateTime(o.created_at)}</td>
                      <td data-label="Paid">{formatDateTime(o.paid_at)}</td>
                      <td className="actions">
                        {o.status === "PENDING" && <Link className="btn sm primary" to={`/checkout?order=${o.id}`}>Pay now</Link>}
                        {o.status === "PAID" && o.adbot_id && <Link className="btn sm" to={`/dashboard/adbots/${o.adbot_id}`}>Adbot</Link>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
    </>
  );
}
