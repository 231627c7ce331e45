import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, errorMessage, isNotAvailable } from "../api/client";
import { catalog, payments } from "../api/commerce";
import type { Order, Payment, Product } from "../api/types";
import { QrCode } from "../components/Qr";
import { Alert, AsyncBlock, Button, Card, CopyButton, EmptyState, FormError, PageHeader, Progress, SelectField, StatusBadge } from "../components/ui";
import { useToast } from "../components/toast";
import { formatInterval, formatMoney, trimNumber } from "../lib/format";
import { useAsync, useCountdown, useInterval } from "../lib/hooks";
import { usePrefs } from "../lib/prefs";
import { planFeatures } from "./Plans";

const CURRENCIES = [
  { value: "usdttrc20", label: "USDT (TRON, TRC-20)" },
  { value: "usdterc20", label: "USDT (Ethereum, ERC-20)" },
  { value: "btc", label: "Bitcoin (BTC)" },
  { value: "eth", label: "Ethereum (ETH)" },
  { value: "ltc", label: "Litecoin (LTC)" },
  { value: "trx", label: "TRON (TRX)" },
  { value: "ton", label: "Toncoin (TON)" },
];

interface Stored {
  order: Order;
  payment: Payment;
  demo?: boolean;
  createdAt: number;
}

const key = (orderId: number) => `hqadz.checkout.${orderId}`;
function remember(s: Stored) {
  try {
    sessionStorage.setItem(key(s.order.id), JSON.stringify(s));
  } catch {
    /* ignore */
  }
}
function recall(orderId: number): Stored | null {
  try {
    const raw = sessionStorage.getItem(key(orderId));
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function Checkout() {
  const [params] = useSearchParams();
  const orderId = Number(params.get("order")) || null;
  const productId = Number(params.get("product")) || null;
  const renewId = Number(params.get("adbot")) || undefined;
  if (orderId) return <PaymentView orderId={orderId} />;
  if (productId) return <StartCheckout productId={productId} renewId={renewId} />;
  return (
    <>
      <PageHeader title="Checkout" />
      <Card>
        <EmptyState icon="plans" title="Choose a plan first" action={<Link className="btn primary" to="/plans">See plans</Link>}>
          Pick the plan you want, then come back here to pay.
        </EmptyState>
      </Card>
    </>
  );
}

function StartCheckout({ productId, renewId }: { productId: number; renewId?: number }) {
  const nav = useNavigate();
  const state = useAsync(() => catalog.list().then((ps) => ps.find((p) => p.id === productId) ?? null), [productId]);
  const [currency, setCurrency] = useState(CURRENCIES[0].value);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: FormEvent, product: Product) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await payments.create(product.id, currency, renewId);
      remember({ order: r.order, payment: r.payment, demo: r.demo, createdAt: Date.now() });
      nav(`/checkout?order=${r.order.id}`, { replace: true });
    } catch (err) {
      setError(isNotAvailable(err) ? new Error("Payments are not available on this server yet.") : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Checkout" subtitle={renewId ? `Renewal of adbot #${renewId}` : "Review your plan and choose how to pay."} />
      <AsyncBlock state={state} what="The plan catalogue" empty={(p) => (p ? null : <Card><EmptyState title="This plan is not on sale" action={<Link className="btn primary" to="/plans">See plans</Link>} /></Card>)}>
        {(p) => (
          <div className="checkout">
            <Card title={p!.name} subtitle={`${p!.tier === "ENTERPRISE" ? "Enterprise" : "Starter"} plan · ${formatInterval(p!.posting_interval_seconds)}`}>
              <div className="plan-price" style={{ marginBottom: 12 }}>
                {formatMoney(p!.price, p!.currency)} <small className="faint">/ {p!.validity_days} days</small>
              </div>
              <ul className="stack" style={{ paddingLeft: 18, margin: 0, color: "var(--text-2)" }}>
                {planFeatures(p!).map((f) => <li key={f}>{f}</li>)}
              </ul>
            </Card>
            <Card title="Pay with crypto">
              <form className="stack" onSubmit={(e) => submit(e, p!)}>
                <SelectField label="Currency" value={currency} onChange={(e) => setCurrency(e.target.value)} options={CURRENCIES} hint="You will get an address and the exact amount to send." />
                <FormError error={error} />
                <Button type="submit" className="primary lg block" busy={busy}>
                  Continue to payment
                </Button>
                <p className="faint">The order is kept for you until the payment window closes. Nothing is charged before you send the funds.</p>
              </form>
            </Card>
          </div>
        )}
      </AsyncBlock>
    </>
  );
}

function PaymentView({ orderId }: { orderId: number }) {
  const prefs = usePrefs();
  const toast = useToast();
  const [stored, setStored] = useState<Stored | null>(() => recall(orderId));
  const [order, setOrder] = useState<Order | null>(stored?.order ?? null);
  const [payment, setPayment] = useState<Payment | null>(stored?.payment ?? null);
  const [demo, setDemo] = useState<boolean>(!!stored?.demo);
  const [adbotId, setAdbotId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>();
  const [unavailable, setUnavailable] = useState(false);
  const [simBusy, setSimBusy] = useState(false);
  const [simError, setSimError] = useState<unknown>();
  const [loaded, setLoaded] = useState(false);

  const poll = useCallback(async () => {
    try {
      const s = await payments.status(orderId);
      setOrder(s.order);
      if (s.payment) setPayment((old) => ({ ...(old ?? {}), ...s.payment! }));
      if (s.demo) setDemo(true);
      if (s.adbot_id ?? s.order.adbot_id) setAdbotId((s.adbot_id ?? s.order.adbot_id) as number);
      setError(undefined);
    } catch (e) {
      if (isNotAvailable(e)) setUnavailable(true);
      else setError(e);
    } finally {
      setLoaded(true);
    }
  }, [orderId]);

  useEffect(() => {
    void poll();
  }, [poll]);
  const pending = !order || order.status === "PENDING";
  useInterval(poll, Math.max(3, prefs.pollSeconds) * 1000, pending && !unavailable);

  useEffect(() => {
    if (order && payment && stored) {
      const next = { ...stored, order, payment };
      remember(next);
    }
  }, [order, payment, stored]);
  useEffect(() => setStored(recall(orderId)), [orderId]);

  const left = useCountdown(payment?.valid_until, stored?.createdAt);
  const simulate = async () => {
    setSimBusy(true);
    setSimError(undefined);
    try {
      await payments.simulate(orderId);
      toast("Payment simulated");
      await poll();
    } catch (e) {
      setSimError(isNotAvailable(e) ? new Error("This server does not offer simulated payments.") : e);
    } finally {
      setSimBusy(false);
    }
  };

  if (!loaded && !order) return <><PageHeader title={`Order #${orderId}`} /><Card><AsyncBlock state={{ data: undefined, error: undefined, loading: true, reload: poll }} what="Payment">{() => null}</AsyncBlock></Card></>;
  if (unavailable && !payment) return <><PageHeader title={`Order #${orderId}`} /><Card><AsyncBlock state={{ data: undefined, error: new ApiError(404, "not_found", "no route for GET /api/payment/status"), loading: false, reload: poll }} what="Payment status">{() => null}</AsyncBlock></Card></>;
  if (error && !order) return <><PageHeader title={`Order #${orderId}`} /><Card><AsyncBlock state={{ data: undefined, error, loading: false, reload: poll }} what="Payment">{() => null}</AsyncBlock></Card></>;

  const status = order?.status ?? "PENDING";
  const expired = status === "EXPIRED" || (status === "PENDING" && left?.expired);
  const paid = status === "PAID";
  const uri = payment ? `${payment.pay_address}` : "";

  return (
    <>
      <PageHeader
        title={paid ? "Payment received" : `Pay for order #${orderId}`}
        subtitle={order ? `${order.product_name ?? "Plan"} · ${formatMoney(order.amount, order.currency)}` : undefined}
        actions={<StatusBadge status={status} pulse={status === "PENDING"} />}
      />
      {paid ? (
        <Card>
          <EmptyState
            icon="check"
            title="Thank you, your payment is confirmed"
            action={
              <div className="row" style={{ justifyContent: "center" }}>
                {adbotId ? <Link className="btn primary" to={`/dashboard/adbots/${adbotId}`}>Set up your adbot</Link> : <Link className="btn primary" to="/dashboard">Go to your adbots</Link>}
                <Link className="btn" to="/dashboard/history">Order history</Link>
              </div>
            }
          >
            Your adbot is ready. Add your post link and groups, then press Start.
          </EmptyState>
        </Card>
      ) : expired || status === "FAILED" ? (
        <Card>
          <EmptyState icon="clock" title={status === "FAILED" ? "This payment failed" : "This payment window has closed"} action={<Link className="btn primary" to="/plans">Start a new order</Link>}>
            If you already sent funds, contact support with order #{orderId}: we will match it by hand.
          </EmptyState>
        </Card>
      ) : payment ? (
        <div className="checkout">
          <Card title="Send exactly this amount" subtitle="Use a wallet on the right network. The status below updates by itself.">
            <dl className="kv">
              <dt>Amount</dt>
              <dd className="row">
                <span className="mono" data-testid="pay-amount" style={{ fontSize: "1.2rem" }}>{trimNumber(payment.pay_amount)} {payment.pay_currency.toUpperCase()}</span>
                <CopyButton text={trimNumber(payment.pay_amount)} small label="Copy amount" />
              </dd>
              <dt>Address</dt>
              <dd className="row">
                <span className="mono" data-testid="pay-address" style={{ wordBreak: "break-all" }}>{payment.pay_address}</span>
                <CopyButton text={payment.pay_address} small label="Copy address" />
              </dd>
              {payment.payin_extra_id && (
                <>
                  <dt>Memo / extra ID</dt>
                  <dd className="row">
                    <span className="mono">{payment.payin_extra_id}</span>
                    <CopyButton text={payment.payin_extra_id} small label="Copy memo" />
                  </dd>
                </>
              )}
            </dl>
            {payment.payin_extra_id && <div style={{ marginTop: 14 }}><Alert kind="warn">Include the memo / extra ID, or the payment cannot be matched to your order.</Alert></div>}
            <div className="divider" style={{ margin: "18px 0" }} />
            <div className="stack">
              <div className="row between">
                <span className="muted">Time left to pay</span>
                <span className="countdown" data-testid="countdown" aria-live="off">{left ? left.clock : "—"}</span>
              </div>
              {left && <Progress value={left.fraction ?? null} tone={left.totalSeconds < 300 ? "danger" : undefined} />}
            </div>
          </Card>
          <div className="stack">
            <Card>
              <QrCode value={uri} label={`QR code of the payment address ${payment.pay_address}`} />
              <p className="faint" style={{ textAlign: "center", marginTop: 10 }}>Scan with your wallet app</p>
            </Card>
            <Card title="Status">
              <div className="steps">
                <Step n={1} state="done" title="Order created" />
                <Step n={2} state={payment.status && payment.status !== "waiting" ? "done" : "current"} title={payment.status === "confirming" ? "Payment seen, confirming on chain" : "Waiting for your payment"} />
                <Step n={3} state="todo" title="Adbot ready" />
              </div>
              <p className="faint row"><span className="spinner" /> Checking every {Math.max(3, prefs.pollSeconds)} s{error ? ` · last check failed: ${errorMessage(error)}` : ""}</p>
              {payment.status === "partially_paid" && <Alert kind="warn" title="Partially paid">We received less than the amount due. Send the rest to the same address.</Alert>}
            </Card>
            {(demo || payment.simulate) && (
              <Card title="Demo mode" subtitle="No real money moves on this server.">
                <div className="stack">
                  <Button className="primary block" icon="zap" busy={simBusy} onClick={simulate}>Simulate payment</Button>
                  <FormError error={simError} />
                </div>
              </Card>
            )}
          </div>
        </div>
      ) : (
        <Card>
          <EmptyState icon="wallet" title="Waiting for payment">
            The payment details of this order were shown when it was created. This page keeps checking its status.
          </EmptyState>
        </Card>
      )}
    </>
  );
}

function Step({ n, state, title }: { n: number; state: "done" | "current" | "todo"; title: string }) {
  return (
    <div className={`step ${state === "done" ? "done" : state === "current" ? "current" : ""}`}>
      <div className="step-dot">{state === "done" ? "✓" : n}</div>
      <div className="step-title">{title}</div>
    </div>
  );
}
