import { useState } from "react";
import { errorMessage } from "../../api/client";
import { adminPayments } from "../../api/commerce";
import { AsyncBlock, Button, Card, EmptyState, Modal, PageHeader, StatusBadge } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatDateTime, formatMoney, titleCase, trimNumber } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

const PROVIDER: Record<string, string> = { manual: "Confirmed by hand", nowpayments: "NOWPayments" };

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
                <thead><tr><th>Order</th><th>Provider</th><th>Expected</th><th>Paid</th><th>Status</th><th>Why flagged</th><th>When</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.map((p) => {
                    const coin = p.coin ? `${p.coin.ticker}${p.coin.network ? ` (${p.coin.network})` : ""}` : "";
                    return (
                      <tr key={p.id}>
                        <td data-label="Order">#{p.order_id}</td>
                        <td data-label="Provider">{PROVIDER[p.provider] ?? titleCase(p.provider)}</td>
                        <td data-label="Expected">{formatMoney(p.fiat_amount, p.fiat_currency)}{p.pay_amount !== null && p.coin?.network ? <div className="faint">{trimNumber(p.pay_amount)} {coin}</div> : null}</td>
                        <td data-label="Paid">{p.actually_paid !== null ? `${trimNumber(p.actually_paid)} ${coin}` : "—"}</td>
                        <td data-label="Status"><StatusBadge status={p.status} /></td>
                        <td data-label="Why flagged" className="small">{p.flag_reason ?? "—"}</td>
                        <td data-label="When">{formatDateTime(p.created_at)}</td>
                        <td className="actions"><Button className="sm" onClick={() => setConfirm(p.order_id)}>Mark paid</Button></td>
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
