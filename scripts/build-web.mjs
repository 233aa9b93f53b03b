// placeholder: replaced by the web client build (issue 4)
import { mkdirSync, writeFileSync } from "node:fs";
mkdirSync(new URL("../web/dist/", import.meta.url), { recursive: true });
writeFileSync(new URL("../web/dist/index.html", import.meta.url), "<!doctype html><title>Switchboard</title><p>Switchboard signaling server</p>\n");

