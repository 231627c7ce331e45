import { Link } from "react-router-dom";
import { EmptyState, PageHeader } from "../components/ui";

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="card">
        <EmptyState icon="info" title="There is nothing here" action={<Link className="btn primary" to="/">Go to your dashboard</Link>}>
          The address may be mistyped, or the page has moved.
        </EmptyState>
      </div>
    </>
  );
}
