// Which view is shown. A tiny router: the app has one window and no URLs.

export type Route =
  | { view: "timer" }
  | { view: "time" }
  | { view: "clients" }
  | { view: "invoices" }
  | { view: "invoice"; key: string }
  | { view: "from-time" }
  | { view: "reports" }
  | { view: "settings" };

export const nav = $state<{ route: Route }>({ route: { view: "timer" } });

export function go(route: Route): void {
  nav.route = route;
}
