import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, errorMessage, isNotAvailable } from "../api/client";
import { catalog, payments } from "../api/commerce";
import type { Payment, PaymentStatusAnswer, Product, Receipt } from "../api/types";
import { Icon } from "../components/Icon";
import { QrCode } from "../components/Qr";
import { Alert, AsyncBlock, Button, Card, CopyButton, EmptyState, FormError, PageHeader, Progress, SelectField, StatusBadge } from "../components/ui";
import { useToast } from "../components/toast";
import { formatDateTime, formatInterval, formatMoney, trimNumber } from "../lib/format";
import { useAsync, useCountdown, useInterval } from "../lib/hooks";
import { amountText, countdownTone, planName, networkWords, paymentSteps, qrValue, type Step as StepInfo } from "../lib/payment";
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
  const [answer, setAnswer] = useState<PaymentStatusAnswer | null>(null);
  const [error, setError] = useState<unknown>();
  const [unavailable, setUnavailable] = useState(false);
  const [simBusy, setSimBusy] = useState(false);
  const [simError, setSimError] = useState<unknown>();
  const [loaded, setLoaded] = useState(false);

  const poll = useCallback(async () => {
    try {
      setAnswer(await payments.status(orderId));
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
  const order = answer?.order ?? null;
  const payment = answer?.payment ?? null;
  const pending = !order || order.status === "PENDING";
  useInterval(poll, Math.max(3, prefs.pollSeconds) * 1000, pending && !unavailable);

  const left = useCountdown(order?.expires_at, order?.created_at ? Date.parse(order.created_at) : undefined);
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
  if (unavailable && !order) return <><PageHeader title={`Order #${orderId}`} /><Card><AsyncBlock state={{ data: undefined, error: new ApiError(404, "not_found", "no route for GET /api/payment/status"), loading: false, reload: poll }} what="Payment status">{() => null}</AsyncBlock></Card></>;
  if (!order) return <><PageHeader title={`Order #${orderId}`} /><Card><AsyncBlock state={{ data: undefined, error, loading: false, reload: poll }} what="Payment">{() => null}</AsyncBlock></Card></>;

  const status = order.status;
  const expired = status === "EXPIRED" || (status === "PENDING" && left?.expired);
  const paid = status === "PAID";
  const total = formatMoney(order.amount, order.currency);

  return (
    <>
      <PageHeader
        title={paid ? "Payment received" : `Pay for order #${orderId}`}
        subtitle={<span data-testid="order-summary">{planName(order)} · {total}</span>}
        actions={<StatusBadge status={status} pulse={status === "PENDING"} />}
      />
      {paid ? (
        <PaidView orderId={orderId} adbotId={answer?.adbot_id ?? null} receipt={answer?.receipt ?? null} total={total} />
      ) : expired || status === "FAILED" ? (
        <Card>
          <EmptyState icon="clock" title={status === "FAILED" ? "This payment failed" : "This payment window has closed"} action={<Link className="btn primary" to="/plans">Start a new order</Link>}>
            If you already sent funds, contact support with order #{orderId}: we will match it by hand.
          </EmptyState>
        </Card>
      ) : payment ? (
        <div className="checkout">
          {payment.confirmation === "manual" ? <ManualPanel orderId={orderId} payment={payment} total={total} /> : <CoinPanel payment={payment} total={total} />}
          <div className="stack">
            <Card title="Time left to pay">
              <div className="stack">
                <div className="row between">
                  <span className="muted">{order.expires_at ? `Until ${formatDateTime(order.expires_at)}` : "No deadline"}</span>
                  <span className={`countdown${countdownTone(left?.totalSeconds) === "danger" ? " danger" : ""}`} data-testid="countdown" aria-live="off">{left ? left.clock : "—"}</span>
                </div>
                {left && <Progress value={left.fraction} tone={countdownTone(left.totalSeconds) === "danger" ? "danger" : undefined} />}
              </div>
            </Card>
            <Card title="Status">
              <div className="steps" data-testid="pay-steps">
                {paymentSteps({ orderStatus: status, paymentStatus: payment.status, confirmation: payment.confirmation }).map((st, i) => (
                  <Step key={i} n={i + 1} step={st} />
                ))}
              </div>
              <p className="faint row"><span className="spinner" /> Checking every {Math.max(3, prefs.pollSeconds)} s{error ? ` · last check failed: ${errorMessage(error)}` : ""}</p>
              {payment.status === "PARTIALLY_PAID" && <Alert kind="warn" title="Partly paid">We received less than the amount due. Send the rest to the same address.</Alert>}
            </Card>
            {answer?.demo && (
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
          <EmptyState icon="wallet" title="Waiting for payment details">
            The payment details of this order are not ready yet. This page keeps checking.
          </EmptyState>
        </Card>
      )}
    </>
  );
}

/** A deposit in a coin: the amount in the coin with the fiat total beside it, the network in words, a QR code. */
function CoinPanel({ payment, total }: { payment: Payment; total: string }) {
  const coin = payment.coin;
  const words = coin && coin.network !== null ? networkWords({ ticker: coin.ticker, name: coin.name, network: coin.network }) : null;
  const amount = amountText(payment.pay_amount, coin, payment.fiat_currency);
  const qr = qrValue(payment);
  return (
    <Card title={words ? `Send ${words.ticker}` : "Send the payment"} subtitle="The status updates by itself once the payment arrives.">
      <dl className="kv">
        <dt>Amount</dt>
        <dd className="row">
          <span className="mono pay-amount" data-testid="pay-amount">{amount}</span>
          <span className="pay-fiat" data-testid="pay-fiat">({total} total)</span>
          {payment.pay_amount !== null && <CopyButton text={trimNumber(payment.pay_amount)} small label="Copy amount" />}
        </dd>
        {coin && words && (
          <>
            <dt>Network</dt>
            <dd data-testid="pay-network">{coin.network}</dd>
          </>
        )}
        {payment.pay_address && (
          <>
            <dt>Address</dt>
            <dd className="row">
              <span className="mono" data-testid="pay-address" style={{ wordBreak: "break-all" }}>{payment.pay_address}</span>
              <CopyButton text={payment.pay_address} small label="Copy address" />
            </dd>
          </>
        )}
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
      <div className="stack" style={{ marginTop: 14 }}>
        {words && <Alert kind="warn" title="Check the network before you send"><span data-testid="pay-warning">{words.warning}</span></Alert>}
        {payment.payin_extra_id && <Alert kind="warn">Include the memo / extra ID, or the payment cannot be matched to your order.</Alert>}
      </div>
      {qr && (
        <>
          <div className="divider" style={{ margin: "18px 0" }} />
          <QrCode value={qr} label={payment.payment_uri ? `QR code of the payment of ${amount} to ${payment.pay_address}` : `QR code of the payment address ${payment.pay_address}`} />
          <p className="faint" style={{ textAlign: "center", marginTop: 10 }}>
            {payment.payment_uri ? "Scan with your wallet app: it fills in the address and the amount." : `Scan with your wallet app, then enter ${amount} yourself.`}
          </p>
        </>
      )}
    </Card>
  );
}

/** The manual provider: no coin amount exists without an exchange rate; the operator confirms by hand. */
function ManualPanel({ orderId, payment, total }: { orderId: number; payment: Payment; total: string }) {
  return (
    <Card title="Amount due" subtitle="This shop confirms payments by hand.">
      <dl className="kv">
        <dt>Total</dt>
        <dd><span className="pay-amount" data-testid="pay-amount">{formatMoney(payment.fiat_amount, payment.fiat_currency)}</span></dd>
        <dt>Reference</dt>
        <dd className="row"><span className="mono">Order #{orderId}</span><CopyButton text={`Order #${orderId}`} small label="Copy reference" /></dd>
      </dl>
      <div style={{ marginTop: 14 }}>
        <Alert kind="info" title="The operator confirms this payment by hand">
          <span data-testid="manual-note">Pay {total} the way the operator has told you, quoting order #{orderId}. Once they confirm it, this page moves on by itself and your adbot is ready.</span>
        </Alert>
      </div>
    </Card>
  );
}

function PaidView({ orderId, adbotId, receipt, total }: { orderId: number; adbotId: number | null; receipt: Receipt | null; total: string }) {
  return (
    <div className="checkout">
      <Card>
        <div className="state">
          <div className="state-icon ok"><Icon name="check" size={24} /></div>
          <h3>Thank you, your payment is confirmed</h3>
          <p>{adbotId ? "Next: give your adbot its post link and groups, then press Start." : "Your adbot is being prepared. It appears under My adbots."}</p>
          <div className="row" style={{ justifyContent: "center" }}>
            {adbotId ? <Link className="btn primary" to={`/dashboard/adbots/${adbotId}`}>Set up your adbot</Link> : <Link className="btn primary" to="/dashboard">Go to your adbots</Link>}
            <Link className="btn" to="/dashboard/history">Order history</Link>
          </div>
        </div>
      </Card>
      <Card title="Receipt" subtitle="Keep it for your records.">
        {receipt ? (
          <dl className="kv" data-testid="receipt">
            <dt>Amount paid</dt>
            <dd>{amountText(receipt.amount, receipt.coin, receipt.fiat_currency)}</dd>
            <dt>Order total</dt>
            <dd>{formatMoney(receipt.fiat_amount, receipt.fiat_currency)}</dd>
            {receipt.coin && receipt.coin.network !== null && (
              <>
                <dt>Paid in</dt>
                <dd>{receipt.coin.name} on {receipt.coin.network}</dd>
              </>
            )}
            <dt>Paid at</dt>
            <dd>{formatDateTime(receipt.paid_at)}</dd>
            <dt>Reference</dt>
            <dd className="row">
              <span className="mono" data-testid="receipt-reference">{receipt.reference}</span>
              <CopyButton text={receipt.reference} small label="Copy reference" />
            </dd>
          </dl>
        ) : (
          <dl className="kv" data-testid="receipt">
            <dt>Order total</dt>
            <dd>{total}</dd>
            <dt>Reference</dt>
            <dd className="mono">Order #{orderId}</dd>
          </dl>
        )}
      </Card>
    </div>
  );
}

function Step({ n, step }: { n: number; step: StepInfo }) {
  return (
    <div className={`step ${step.state === "done" ? "done" : step.state === "current" ? "current" : ""}`} data-state={step.state}>
      <div className="step-dot" aria-hidden="true">{step.state === "done" ? "✓" : n}</div>
      <div className="step-title">{step.title}<span className="sr-only">{step.state === "done" ? " (done)" : step.state === "current" ? " (now)" : ""}</span></div>
    </div>
  );
}
