import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

const target = document.getElementById("app");
if (!target) {
  throw new Error("index.html has no #app element to mount Billable into");
}

// The frame index.html drew while the script loaded gives way to the app.
target.replaceChildren();
export default mount(App, { target });
