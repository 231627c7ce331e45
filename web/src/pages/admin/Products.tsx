import { useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client";
import { catalog } from "../../api/commerce";
import type { ProductInput } from "../../api/types";
import type { Product } from "../../api/types";
import { AsyncBlock, Button, Card, EmptyState, FormError, Modal, PageHeader, SelectField, StatusBadge, TextField } from "../../components/ui";
import { useToast } from "../../components/toast";
import { formatInterval, formatMoney } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

/** The dialog's fields: every field of a product's create body, filled in. */
type Form = Required<Omit<ProductInput, "description">> & Pick<ProductInput, "description">;

const TIERS: Form["tier"][] = ["STARTER", "ENTERPRISE"];
const DISTRIBUTIONS: Form["distribution"][] = ["EVEN", "ALL"];

function formOf(p: Product): Form {
  return {
    name: p.name,
    description: p.description,
    tier: TIERS.find((t) => t === p.tier) ?? "STARTER",
    sessions_count: p.sessions_count,
    posting_interval_seconds: p.posting_interval_seconds,
    price: p.price,
    currency: p.currency,
    validity_days: p.validity_days,
    distribution: DISTRIBUTIONS.find((d) => d === p.distribution) ?? "EVEN",
    max_groups: p.max_groups,
    daily_cap_per_account: p.daily_cap_per_account,
    active: p.active,
  };
}

const blank: Form = {
  name: "", tier: "STARTER", sessions_count: 1, posting_interval_seconds: 3600, price: 30, currency: "USD",
  validity_days: 30, distribution: "EVEN", max_groups: 100, daily_cap_per_account: 500, active: true,
};

export function AdminProducts() {
  const state = useAsync(() => catalog.adminList(), []);
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const toast = useToast();
  const [busy, setBusy] = useState<number | null>(null);

  const toggle = async (p: Product) => {
    setBusy(p.id);
    try {
      const r = await catalog.update(p.id, { active: !p.active });
      state.setData((d) => (d ?? []).map((x) => (x.id === p.id ? { ...x, ...r } : x)));
      toast(`${p.name} ${p.active === false ? "back on sale" : "deactivated"}`);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader title="Products" subtitle="The plans customers can buy. An existing order keeps the price it was made at." actions={<Button className="primary" icon="plus" onClick={() => setEditing("new")}>New product</Button>} />
      <Card flush>
        <AsyncBlock state={state} what="Product management" skeleton empty={(d) => (d.length ? null : <EmptyState icon="plans" title="No products yet" action={<Button className="primary" onClick={() => setEditing("new")}>Create the first plan</Button>} />)}>
          {(d) => (
            <div className="table-wrap">
              <table className="table responsive">
                <thead><tr><th>Name</th><th>Tier</th><th>Price</th><th>Accounts</th><th>Interval</th><th>Validity</th><th>Status</th><th className="right">Actions</th></tr></thead>
                <tbody>
                  {d.map((p) => (
                    <tr key={p.id}>
                      <td data-label="Name"><b style={{ fontWeight: 600 }}>{p.name}</b></td>
                      <td data-label="Tier">{p.tier === "ENTERPRISE" ? "Enterprise" : "Starter"}</td>
                      <td data-label="Price">{formatMoney(p.price, p.currency)}</td>
                      <td data-label="Accounts">{p.sessions_count}{p.distribution ? <span className="faint"> · {p.distribution}</span> : null}</td>
                      <td data-label="Interval">{formatInterval(p.posting_interval_seconds)}</td>
                      <td data-label="Validity">{p.validity_days} days</td>
                      <td data-label="Status"><StatusBadge status={p.active === false ? "INACTIVE" : "ACTIVE"} /></td>
                      <td className="actions">
                        <Button className="sm" icon="edit" onClick={() => setEditing(p)}>Edit</Button>
                        <Button className={`sm${p.active === false ? "" : " danger"}`} busy={busy === p.id} onClick={() => toggle(p)}>{p.active === false ? "Activate" : "Deactivate"}</Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncBlock>
      </Card>
      {editing && (
        <ProductDialog
          product={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            state.setData((d) => (d ?? []).some((x) => x.id === p.id) ? (d ?? []).map((x) => (x.id === p.id ? p : x)) : [...(d ?? []), p]);
            setEditing(null);
            toast(`${p.name} saved`);
          }}
        />
      )}
    </>
  );
}

function ProductDialog({ product, onClose, onSaved }: { product: Product | null; onClose: () => void; onSaved: (p: Product) => void }) {
  const [f, setF] = useState<Form>(() => (product ? formOf(product) : blank));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const num = (k: keyof Form) => ({
    type: "number" as const,
    value: String(f[k] ?? ""),
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(k, (e.target.value === "" ? "" : Number(e.target.value)) as never),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSaved(product ? await catalog.update(product.id, f) : await catalog.create(f));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={product ? `Edit ${product.name}` : "New product"} onClose={onClose} wide>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="grid grid-2">
          <TextField label="Name" value={f.name} onChange={(e) => set("name", e.target.value)} required />
          <SelectField label="Tier" value={f.tier} onChange={(e) => set("tier", e.target.value as Form["tier"])} options={[{ value: "STARTER", label: "Starter" }, { value: "ENTERPRISE", label: "Enterprise" }]} />
          <TextField label="Price" min={0} step="0.01" {...num("price")} />
          <TextField label="Currency" value={f.currency} onChange={(e) => set("currency", e.target.value.toUpperCase())} maxLength={8} />
          <TextField label="Accounts (sessions)" min={1} {...num("sessions_count")} />
          <TextField label="Posting interval (seconds)" min={60} {...num("posting_interval_seconds")} hint={formatInterval(Number(f.posting_interval_seconds))} />
          <TextField label="Validity (days)" min={1} {...num("validity_days")} />
          <SelectField label="Distribution" value={f.distribution} onChange={(e) => set("distribution", e.target.value as Form["distribution"])} options={[{ value: "EVEN", label: "Even: groups shared between accounts" }, { value: "ALL", label: "All: every account posts to every group" }]} />
          <TextField label="Max groups" min={1} {...num("max_groups")} />
          <TextField label="Daily cap per account" min={1} {...num("daily_cap_per_account")} />
        </div>
        <label className="check">
          <input type="checkbox" checked={f.active !== false} onChange={(e) => set("active", e.target.checked)} />
          <span><b>On sale</b><div className="hint">Inactive products are hidden from customers.</div></span>
        </label>
        <FormError error={error} />
        <div className="modal-foot">
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" className="primary" busy={busy} disabled={!f.name.trim()}>{product ? "Save changes" : "Create product"}</Button>
        </div>
      </form>
    </Modal>
  );
}
