"""Driving the example gateway's page the way a person would (type, click, read the status), plus the few things a
test needs beyond that: a virtual authenticator, and a wrapper around the page's fetch() that records, holds back,
rewrites or repeats what the page sends and receives (to tamper with or replay a ceremony)."""
import base64
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import WAIT

# window.__hooks: {path: {request: "js body (b) => b", response: "js body (a) => a"}}; window.__sent: every JSON body
# the page posted, before any rewrite, by path.
FETCH_WRAPPER = """
window.__hooks = arguments[0];
window.__sent = {};
const original = window.__originalFetch = window.fetch.bind(window);
const compile = (src) => src ? new Function("value", "state", src) : null;
const hooks = {};
for (const [path, h] of Object.entries(window.__hooks)) hooks[path] = {request: compile(h.request), response: compile(h.response), state: {}};
window.fetch = async (path, init) => {
  const h = hooks[path];
  if (init && init.body) {
    const body = JSON.parse(init.body);
    (window.__sent[path] = window.__sent[path] || []).push(JSON.parse(init.body));
    if (h && h.request) init = {...init, body: JSON.stringify(h.request(body, h.state))};
  }
  const response = await original(path, init);
  if (!h || !h.response) return response;
  const answer = h.response(await response.json(), h.state);
  return new Response(JSON.stringify(answer), {status: response.status, headers: {"Content-Type": "application/json"}});
};
"""


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Outcome:
    def __init__(self, state, code, text, answer):
        self.ok, self.code, self.text, self.answer = state == "ok", code, text, answer

    def __repr__(self):
        return f"Outcome(ok={self.ok}, code={self.code!r}, text={self.text!r})"


class PasskeyPage:
    def __init__(self, driver, stack):
        self.d, self.stack = driver, stack
        self.has_authenticator = False

    # -- the authenticator ------------------------------------------------------------------------------------------

    def authenticator(self, *, resident_key=True, user_verification=True):
        """Chrome's virtual authenticator: CTAP2, internal transport, a resident-key and a UV capability as asked;
        when it can verify the user, it does (isUserVerified)."""
        self.remove_authenticator()
        self.d.add_virtual_authenticator(VirtualAuthenticatorOptions(
            protocol=VirtualAuthenticatorOptions.Protocol.CTAP2,
            transport=VirtualAuthenticatorOptions.Transport.INTERNAL,
            has_resident_key=resident_key, has_user_verification=user_verification,
            is_user_verified=user_verification, is_user_consenting=True))
        self.has_authenticator = True

    def remove_authenticator(self):
        if self.has_authenticator:
            self.d.remove_virtual_authenticator()
            self.has_authenticator = False

    def authenticator_credentials(self):
        return self.d.get_credentials()

    # -- the page ---------------------------------------------------------------------------------------------------

    def open(self, host="localhost", port=None):
        self.d.get(f"http://{host}:{port or self.stack['port']}/")
        WebDriverWait(self.d, WAIT).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))

    def hooks(self, hooks):
        """Wraps the page's fetch() (see FETCH_WRAPPER); lasts until the next page load."""
        self.d.execute_script(FETCH_WRAPPER, hooks)

    def sent(self, path):
        return self.d.execute_script("return (window.__sent || {})[arguments[0]] || []", path)

    def seq(self):
        return int(self.d.find_element(By.ID, "status").get_attribute("data-seq"))

    def outcome(self):
        s = self.d.find_element(By.ID, "status")
        text = self.d.find_element(By.ID, "result").get_attribute("textContent")
        return Outcome(s.get_attribute("data-state"), s.get_attribute("data-code"), s.text, json.loads(text) if text else None)

    def wait_outcome(self, after):
        """The next status the page reports after status number `after` (each ceremony ends with exactly one)."""
        WebDriverWait(self.d, WAIT).until(lambda d: self.seq() > after)
        return self.outcome()

    def _act(self, relying_party, fill, button):
        before = self.seq()
        if relying_party is not None:
            Select(self.d.find_element(By.ID, "relying-party")).select_by_value(relying_party)
        for field, value in fill:
            el = self.d.find_element(By.ID, field)
            el.clear()
            if value:
                el.send_keys(value)
        self.d.find_element(By.ID, button).click()
        return self.wait_outcome(before)

    def register(self, username, relying_party="example"):
        return self._act(relying_party, [("register-username", username)], "register")

    def login(self, username="", relying_party="example"):
        """Signs in with the username typed (allowCredentials from the gateway) or, with none, usernameless."""
        return self._act(relying_party, [("login-username", username)], "login")

    def logout(self):
        before = self.seq()
        self.d.find_element(By.ID, "logout").click()
        out = self.wait_outcome(before)
        assert out.ok, out
        WebDriverWait(self.d, WAIT).until(lambda d: d.find_element(By.ID, "login").is_displayed())

    def delete_credential(self, credential_id):
        before = self.seq()
        row = self.d.find_element(By.CSS_SELECTOR, f'tr[data-credential-id="{credential_id}"]')
        row.find_element(By.CSS_SELECTOR, "button.delete").click()
        return self.wait_outcome(before)

    def post(self, path, body):
        """Posts a JSON body from the page itself (same origin, same session cookie), bypassing the page's own flow
        and any hooks; returns the gateway's answer."""
        return self.d.execute_async_script("""
            const [path, body, done] = arguments;
            (window.__originalFetch || window.fetch)(path, {method: "POST", headers: {"Content-Type": "application/json"}, credentials: "same-origin",
                         body: JSON.stringify(body)}).then(r => r.json()).then(done, e => done({ok: false, error: String(e)}));
        """, path, body)

    def session(self):
        return self.d.execute_async_script(
            "fetch('/session').then(r => r.json()).then(arguments[0], e => arguments[0]({error: String(e)}))")
