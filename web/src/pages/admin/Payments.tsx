import { useState } from "react";
import { errorMessage } from "../../api/client";
import { adminPayments } from "../../api/commerce";
import { AsyncBlock, Button, Card, EmptyState, Modal, PageHeader, StatusBadge } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime, formatMoney, trimNumber } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

export function AdminPayments() {
  const state = useAsync(() => adminPayments.flagged(), []);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  return (
    <>
      <PageHeader title="Flagged payments" subtitle="Payments whose amount, currency or order did not match, and partial payments. Nothing was provisioned for them." actions={<Button icon="refresh" onClick={state.reload}>Refresh</Button>} />
      <Card flush>
        <AsyncBlock state={state} what="Flagged payments" skeleton empty={(d) => (d.length ? null : <EmptyState icon="check" title="Nothing to review">Every payment matched its order.</EmptyState>)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Order</th><th>Customer</th><th>Expected</th><th>Paid</th><th>Status</th><th>Why flagged</th><th>When</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.map((p, i) => {
                    const orderId = p.order_id ?? p.order?.id;
                    return (
                      <tr key={p.id ?? i}>
                        <td data-label="Order">#{orderId}</td>
                        <td data-label="Customer">{p.order?.user_email ?? (p.order?.user_id ? `user #${p.order.user_id}` : "—")}</td>
                        <td data-label="Expected">{p.order ? formatMoney(p.order.amount, p.order.currency) : `${trimNumber(p.pay_amount)} ${p.pay_currency.toUpperCase()}`}</td>
                        <td data-label="Paid">{p.actually_paid !== undefined && p.actually_paid !== null ? `${trimNumber(p.actually_paid)} ${p.pay_currency.toUpperCase()}` : "—"}</td>
                        <td data-label="Status"><StatusBadge status={p.status} /></td>
                        <td data-label="Why flagged" className="small">{p.flag_reason ?? "—"}</td>
                        <td data-label="When">{formatDateTime(p.created_at)}</td>
                        <td className="actions">{orderId && p.order?.status !== "PAID" && <Button className="sm" onClick={() => setConfirm(orderId)}>Mark paid</Button>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
      {confirm && (
        <Modal title={`Mark order #${confirm} as paid?`} onClose={() => setConfirm(null)} footer={<><Button onClick={() => setConfirm(null)}>Cancel</Button><Button className="primary" busy={busy} onClick={async () => {
          setBusy(true);
          try {
            await adminPayments.markPaid(confirm);
            toast(`Order #${confirm} marked paid`);
            setConfirm(null);
            state.reload();
          } catch (e) {
            toast(errorMessage(e), "error");
          } finally {
            setBusy(false);
          }
        }}>Mark paid</Button></>}>
          <p>The order is fulfilled as if the payment had matched: an adbot is created and accounts are assigned. This is recorded in the audit log.</p>
        </Modal>
      )}
    </>
  );
}
