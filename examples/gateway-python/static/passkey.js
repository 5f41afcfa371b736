// The page's whole WebAuthn side: options come from the gateway (which got them from passkeyd) as JSON, go through
// PublicKeyCredential.parse*OptionsFromJSON() into navigator.credentials, and credential.toJSON() goes back.
"use strict";

const $ = (id) => document.getElementById(id);
let seq = 0;
let autofill = null; // the pending conditional (autofill) request, if any: {controller, settled}

class Refusal extends Error {
  constructor(code, message, answer) { super(message); this.code = code; this.answer = answer; }
}

function setStatus(ok, code, message, answer) {
  const s = $("status");
  s.dataset.state = ok ? "ok" : "error";
  s.dataset.code = code;
  s.textContent = message;
  $("result").textContent = answer === undefined ? "" : JSON.stringify(answer, null, 2);
  s.dataset.seq = String(++seq);
}

function relyingParty() {
  const select = $("relying-party");
  return select ? select.value : "";
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: {"Content-Type": "application/json"}, credentials: "same-origin",
    body: JSON.stringify({relying_party: relyingParty(), ...body}),
  });
  const answer = await response.json();
  if (!answer.ok) throw new Refusal(answer.error, answer.message, answer);
  return answer;
}

// Errors from the browser (NotAllowedError when the user cancels or no authenticator qualifies, SecurityError for
// an RP ID the page may not use, ...) and refusals from the gateway (passkeyd's error codes) end up in #status.
function report(error) {
  if (error instanceof Refusal) setStatus(false, error.code, `${error.code}: ${error.message}`, error.answer);
  else setStatus(false, error.name || "Error", `${error.name}: ${error.message}`);
}

// Aborts the autofill request and waits until it has settled: the browser runs one WebAuthn request at a time, and
// a modal one started while the aborted one is still winding down can fail with NotAllowedError.
async function stopAutofill() {
  const pending = autofill;
  autofill = null;
  if (!pending) return;
  pending.controller.abort();
  await pending.settled;
}

async function register(username) {
  await stopAutofill();
  const {options} = await post("/register/options", {username});
  const credential = await navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)});
  const answer = await post("/register/verify", {username, credential: credential.toJSON()});
  const v = answer.verdict;
  setStatus(true, "REGISTERED", `Passkey created for ${answer.user} (${v.format}, alg ${v.algorithm}, ` +
    `user verified: ${v.user_verified}, discoverable: ${v.cred_props_rk}).`, answer);
  await showSession();
}

async function signIn(username, mediation, signal) {
  const {options} = await post("/login/options", {username});
  if (signal) signal.throwIfAborted();  // aborted while the options were on their way: never start the request
  const request = {publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)};
  if (mediation) request.mediation = mediation;
  if (signal) request.signal = signal;
  const credential = await navigator.credentials.get(request);
  const answer = await post("/login/verify", {username, credential: credential.toJSON()});
  setStatus(true, "SIGNED_IN", `Signed in as ${answer.user}${mediation ? " (autofill)" : ""}; ` +
    `sign count ${answer.verdict.stored_sign_count} → ${answer.verdict.sign_count}.`, answer);
  await showSession();
}

// Conditional mediation: started once when the page loads signed out; the browser offers the site's passkeys in the
// username field's autofill. Any button press aborts it first (one WebAuthn request at a time).
async function startAutofill() {
  if (!window.PublicKeyCredential || !PublicKeyCredential.isConditionalMediationAvailable) return;
  // Registered before the first await, so a button pressed at any moment from here on finds it and aborts it.
  const controller = new AbortController();
  const pending = {controller, settled: null};
  autofill = pending;
  pending.settled = (async () => {
    try {
      if (await PublicKeyCredential.isConditionalMediationAvailable()) await signIn("", "conditional", controller.signal);
    } catch (error) {
      // The gateway's refusals of a passkey the user picked are shown; the browser's own errors are not (no passkey
      // for this site, a page whose origin may not use the RP ID, ...): the user asked for nothing.
      if (!controller.signal.aborted && error instanceof Refusal) report(error);
      else console.debug("autofill ended:", error);
    } finally {
      if (autofill === pending) autofill = null;
    }
  })();
  await pending.settled;
}

async function showSession() {
  const answer = await (await fetch("/session", {credentials: "same-origin"})).json();
  $("signed-in").hidden = !answer.user;
  $("signed-out").hidden = !!answer.user;
  $("user").textContent = answer.user || "";
  const rows = $("credentials");
  rows.replaceChildren();
  for (const c of answer.credentials) {
    const tr = document.createElement("tr");
    tr.dataset.credentialId = c.id;
    for (const text of [c.id.slice(0, 12) + "…", c.algorithm, c.format, c.discoverable, c.sign_count]) {
      const td = document.createElement("td");
      td.textContent = String(text);
      tr.append(td);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "delete";
    button.textContent = "Delete";
    button.addEventListener("click", () => run(async () => {
      const r = await fetch(`/credentials/${encodeURIComponent(c.id)}`, {method: "DELETE", credentials: "same-origin"});
      const a = await r.json();
      if (!a.ok) throw new Refusal(a.error, a.message, a);
      setStatus(true, "DELETED", "Passkey deleted here (the authenticator still holds it).", a);
      await showSession();
    }));
    const td = document.createElement("td");
    td.append(button);
    tr.append(td);
    rows.append(tr);
  }
  return answer;
}

async function run(task) {
  try { await task(); } catch (error) { report(error); }
}

document.addEventListener("DOMContentLoaded", async () => {
  $("register-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(() => register($("register-username").value.trim()));
  });
  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(async () => { await stopAutofill(); await signIn($("login-username").value.trim(), null, null); });
  });
  $("add-passkey").addEventListener("click", () => run(() => register($("user").textContent)));
  $("logout").addEventListener("click", () => run(async () => {
    await post("/logout", {});
    setStatus(true, "SIGNED_OUT", "Signed out.");
    await showSession();
  }));
  const state = await showSession();
  document.body.dataset.ready = "true";
  if (!state.user) await startAutofill();
});
