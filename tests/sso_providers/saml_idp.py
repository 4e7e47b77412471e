"""A SAML 2.0 identity provider for the tests, built on pysaml2's own ``saml2.server.Server``.

It runs in a thread of the test process, on a free port of 127.0.0.1:

    idp = SamlIdp.start()
    idp.metadata_url                       # http://127.0.0.1:<port>/metadata (also the entity ID)
    idp.trust_sp(sp_metadata_xml)          # accept sign-in requests from this service provider
    acs_url, fields = idp.login_response(redirect_url, "ada@example.org", "Ada Lovelace")
    idp.stop()

Pages, as a person's browser sees them:

    GET  /metadata        the IdP's metadata XML (``idp.metadata_xml``)
    GET  /sso/redirect    HTTP-Redirect binding: ?SAMLRequest=...&RelayState=... shows the login form
    POST /sso/post        HTTP-POST binding: the same, with the request in the form body
    POST /login           the login form's target: answers with the HTTP-POST binding's form,
                          which the browser posts to the service provider's ACS URL

The login form asks for an email (and an optional name); there is no password. The signed
response names the person twice: the NameID (format emailAddress) carries the email, and so
do the attributes ``mail`` (and ``displayName`` for the name, when one was given). A service provider reads the
NameID and may fall back to ``mail``.
"""

from __future__ import annotations

import base64
import datetime
import html
import tempfile
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import defusedxml.ElementTree
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

XMLSEC = "/usr/bin/xmlsec1"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
MD_ENTITY = "{urn:oasis:names:tc:SAML:2.0:metadata}EntityDescriptor"
# Which binding a login form's hidden `binding` field names.
BINDINGS = {"redirect": BINDING_HTTP_REDIRECT, "post": BINDING_HTTP_POST}

Environ = dict[str, Any]


class SamlIdp:
    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="saml-idp-")
        self.key_file, self.cert_file = _make_key_and_certificate(Path(self._folder.name))
        self._sp_metadata: list[str] = []  # service providers' metadata, as given to trust_sp
        # Port 0: the system picks a free one. Threads, so a browser's idle spare connection
        # cannot block the next request.
        self._http = make_server(
            "127.0.0.1", 0, self._wsgi, server_class=_ThreadingWSGIServer, handler_class=_Quiet
        )
        self.base_url = f"http://127.0.0.1:{self._http.server_port}"
        self.entity_id = self.metadata_url = f"{self.base_url}/metadata"
        self.server = self._build_server()
        self.metadata_xml: str = create_metadata_string(None, config=self.server.config).decode()
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @classmethod
    def start(cls) -> SamlIdp:
        idp = cls()
        idp._thread.start()
        return idp

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._folder.cleanup()

    def trust_sp(self, metadata_xml: str) -> None:
        """Accept requests from the service provider(s) this metadata describes.

        The same entity ID given again replaces its earlier metadata (a new certificate, say).
        """
        new_ids = _entity_ids(metadata_xml)
        self._sp_metadata = [
            xml for xml in self._sp_metadata if not (_entity_ids(xml) & new_ids)
        ] + [metadata_xml]
        # pysaml2 reads its metadata with its configuration, so build the server anew.
        self.server = self._build_server()

    def login_response(
        self, saml_request_url: str, email: str, name: str = ""
    ) -> tuple[str, dict[str, str]]:
        """Sign in without a browser.

        ``saml_request_url`` is where the service provider sent the person (our /sso/redirect
        with ``SAMLRequest`` and ``RelayState``). Returns the ACS URL and the form fields
        (``SAMLResponse``, ``RelayState``) that the browser would post there.
        """
        query = _fields(urlsplit(saml_request_url).query)
        return self._respond({**query, "binding": "redirect"}, email, name)

    # -- building blocks ---------------------------------------------------------------------

    def _build_server(self) -> Server:
        config: dict[str, Any] = {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": self.key_file,
            "cert_file": self.cert_file,
            "service": {
                "idp": {
                    "name": "Tandem test IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT),
                            (f"{self.base_url}/sso/post", BINDING_HTTP_POST),
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "sign_assertion": True,
                    "sign_response": True,
                    "want_authn_requests_signed": False,  # but checked when they are signed
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 15},
                            # Attributes go out under their URI names (urn:oid:...); pysaml2
                            # on the other side maps them back to `mail`, `displayName`.
                            "name_form": NAME_FORMAT_URI,
                            # An SP asking for attributes we lack still gets the rest.
                            "fail_on_missing_requested": False,
                        },
                    },
                },
            },
        }
        if self._sp_metadata:
            config["metadata"] = {"inline": self._sp_metadata}
        idp_config = IdPConfig()
        idp_config.load(config)
        return Server(config=idp_config)

    def _respond(self, form: dict[str, str], email: str, name: str) -> tuple[str, dict[str, str]]:
        """The signed response to the request in ``form``: the ACS URL and the fields to post.

        ``form`` holds what the service provider sent (SAMLRequest, RelayState and, when it
        signs its redirects, SigAlg and Signature) and which binding it came by.
        """
        server = self.server
        request = server.parse_authn_request(
            form["SAMLRequest"],
            BINDINGS[form["binding"]],
            relay_state=form.get("RelayState"),
            sigalg=form.get("SigAlg"),
            signature=form.get("Signature"),
        )
        # Where to answer: the ACS URL in the request, when the SP's metadata lists it, else
        # the SP's first HTTP-POST ACS in its metadata.
        args = server.response_args(request.message, [BINDING_HTTP_POST])
        identity = {"mail": [email]} | ({"displayName": [name]} if name else {})
        response = server.create_authn_response(
            identity=identity,
            in_response_to=args["in_response_to"],
            destination=args["destination"],
            sp_entity_id=args["sp_entity_id"],
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": PASSWORD_CONTEXT},
            sign_assertion=True,
            sign_response=True,
        )
        # The HTTP-POST binding is just this: the response XML in base64, and the RelayState.
        fields = {"SAMLResponse": base64.b64encode(str(response).encode()).decode()}
        if form.get("RelayState"):
            fields["RelayState"] = form["RelayState"]
        return args["destination"], fields

    # -- the web pages -----------------------------------------------------------------------

    def _wsgi(self, environ: Environ, start_response: Any) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        try:
            if method == "GET" and path == "/metadata":
                return _answer(start_response, self.metadata_xml, "application/samlmetadata+xml")
            if method == "GET" and path == "/sso/redirect":
                return _answer(start_response, _login_page(_query(environ), "redirect"))
            if method == "POST" and path == "/sso/post":
                return _answer(start_response, _login_page(_form(environ), "post"))
            if method == "POST" and path == "/login":
                form = _form(environ)
                acs_url, fields = self._respond(form, form["email"], form.get("name", ""))
                return _answer(start_response, _post_page(acs_url, fields))
            return _answer(start_response, "Not found", "text/plain", "404 Not Found")
        except Exception as error:  # a test wants to read what went wrong, not a bare 500
            return _answer(
                start_response, f"{type(error).__name__}: {error}", "text/plain", "400 Bad Request"
            )


# -- pages ---------------------------------------------------------------------------------------


def _login_page(request: dict[str, str], binding: str) -> str:
    """The form asking who signs in; it carries the SP's request along in hidden fields."""
    if "SAMLRequest" not in request:
        raise ValueError("no SAMLRequest")
    carried = {"binding": binding} | {
        key: request[key]
        for key in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
        if key in request
    }
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test IdP: sign in</title></head>
<body>
  <h1>Test identity provider</h1>
  <form method="post" action="/login">
    {_hidden_inputs(carried)}
    <p><label for="email">Email</label> <input id="email" name="email" type="text" required></p>
    <p><label for="name">Name</label> <input id="name" name="name" type="text"></p>
    <p><button type="submit">Sign in</button></p>
  </form>
</body></html>"""


def _post_page(acs_url: str, fields: dict[str, str]) -> str:
    """The HTTP-POST binding's page: a form to the ACS URL that submits itself.

    pysaml2's own page (``apply_binding``) hides its button in <noscript>; this one shows it,
    so a test or a browser without JavaScript can press it.
    """
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test IdP: signing in</title></head>
<body>
  <form method="post" action="{html.escape(acs_url)}">
    {_hidden_inputs(fields)}
    <button type="submit">Continue</button>
  </form>
  <script>document.forms[0].submit();</script>
</body></html>"""


def _hidden_inputs(fields: dict[str, str]) -> str:
    return "\n    ".join(
        f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
        for key, value in fields.items()
    )


# -- small helpers -------------------------------------------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # no access log in the test output
        pass


def _answer(
    start_response: Any, body: str, content_type: str = "text/html", status: str = "200 OK"
) -> list[bytes]:
    data = body.encode()
    start_response(
        status,
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


def _fields(urlencoded: str) -> dict[str, str]:
    """``a=1&b=2`` as ``{"a": "1", "b": "2"}`` (the first value of each; blanks left out)."""
    return {key: values[0] for key, values in parse_qs(urlencoded).items()}


def _query(environ: Environ) -> dict[str, str]:
    return _fields(environ.get("QUERY_STRING", ""))


def _form(environ: Environ) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return _fields(environ["wsgi.input"].read(length).decode())


def _entity_ids(metadata_xml: str) -> set[str]:
    root = defusedxml.ElementTree.fromstring(metadata_xml)
    return {element.get("entityID", "") for element in root.iter(MD_ENTITY)}


def _make_key_and_certificate(folder: Path) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate for it, as PEM files in ``folder``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tandem test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)
