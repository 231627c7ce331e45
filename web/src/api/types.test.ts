// Type-level checks (run by tsc in `npm run build`; vitest only runs the empty bodies): every
// shape a page names is taken from the contract, and the fields the UI review found misread
// are the ones the server sends. A contract that drops or renames one fails the build here.
import { describe, expectTypeOf, it } from "vitest";
import type * as T from "./types";

type IsNever<X> = [X] extends [never] ? true : false;

describe("types.ts", () => {
  it("names no shape the contract lacks (none is never)", () => {
    expectTypeOf<IsNever<T.Order>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Payment>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Receipt>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Coin>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.PaymentStatusAnswer>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Adbot>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdminAdbot>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdbotFields>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdbotDetail>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdbotAccount>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdbotGroup>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdbotEvent>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Advertisement>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.SavedAdvertisement>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.RejectedGroup>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.UserStats>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Notification>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.BlocklistEntry>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.BlocklistStatus>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.StockAccount>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.StockOverview>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AdminDashboard>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.User>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Session>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.SignupResult>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.IssuedCode>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.AuditEntry>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.Product>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.ProductInput>>().toEqualTypeOf<false>();
    expectTypeOf<IsNever<T.FlaggedPayment>>().toEqualTypeOf<false>();
  });

  it("carries the fields of every row of issue 16", () => {
    // The order keeps a snapshot of its plan (every field optional in the contract: old snapshots).
    expectTypeOf<T.Order["product"]>().toHaveProperty("name");
    expectTypeOf<T.Order["expires_at"]>().toEqualTypeOf<string | null>();
    expectTypeOf<T.PaymentStatusAnswer["adbot_id"]>().toEqualTypeOf<number | null>();
    expectTypeOf<T.Payment["confirmation"]>().toEqualTypeOf<"manual" | "provider">();
    expectTypeOf<T.Payment["payment_uri"]>().toEqualTypeOf<string | null>();
    expectTypeOf<T.Payment["fiat_amount"]>().toEqualTypeOf<number>();
    expectTypeOf<T.Coin["network"]>().toEqualTypeOf<string | null>();
    expectTypeOf<T.Receipt["reference"]>().toEqualTypeOf<string>();
    expectTypeOf<T.Adbot["sessions_assigned"]>().toEqualTypeOf<number>();
    expectTypeOf<T.Adbot["sessions_needed"]>().toEqualTypeOf<number>();
    expectTypeOf<T.Adbot["groups_count"]>().toEqualTypeOf<number>();
    expectTypeOf<T.Adbot["stats"]["success"]>().toEqualTypeOf<number>();
    expectTypeOf<T.AdbotDetail["adbot"]["product"]["name"]>().toEqualTypeOf<string>();
    expectTypeOf<"ACTIVE">().toExtend<T.BlocklistStatus>();
    expectTypeOf<T.BodyOf<"/api/admin/blocklist", "post">>().toHaveProperty("group");
  });
});
