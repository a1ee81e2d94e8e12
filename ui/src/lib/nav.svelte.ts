// Which view is shown. A tiny router: the app has one window and no URLs.

export type Route =
  | { view: "timer" }
  | { view: "dashboard" }
  | { view: "time" }
  | { view: "clients" }
  | { view: "invoices" }
  | { view: "invoice"; key: string }
  | { view: "from-time" }
  | { view: "credit-notes" }
  | { view: "credit-note"; number: string }
  | { view: "estimates" }
  | { view: "estimate"; key: string }
  | { view: "expenses" }
  | { view: "recurring" }
  | { view: "reports" }
  | { view: "email" }
  | { view: "data" }
  | { view: "settings" };

export const nav = $state<{ route: Route }>({ route: { view: "timer" } });

export function go(route: Route): void {
  nav.route = route;
}

/** The sidebar entry a route belongs to (an invoice is under Invoices). */
export function section(view: Route["view"]): Route["view"] {
  switch (view) {
    case "invoice":
    case "from-time":
    case "credit-notes":
    case "credit-note":
      return "invoices";
    case "estimate":
      return "estimates";
    default:
      return view;
  }
}
