"""`qmsdoc serve`: the site and nothing else, GET and HEAD only, the right content types."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.conftest import serving

SECRET = "top secret outside the site"


@pytest.fixture(scope="module")
def base(mixed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the small site, with a secret next to it and symbolic links in and out."""
    root = tmp_path_factory.mktemp("serve")
    site = root / "site"
    shutil.copytree(mixed_site, site)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    os.symlink(root / "secret.txt", site / "out.txt")
    os.symlink(root / "outside", site / "out-dir")
    os.symlink(site / "index.html", site / "home.html")
    (site / ".hidden").write_text(SECRET, encoding="utf-8")
    (site / "empty").mkdir()
    with serving(site) as url:
        yield url


def request(base: str, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send `target` exactly as written (no client-side normalisation) and read the answer."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def raw_request(base: str, line: bytes) -> bytes:
    """A request line no HTTP client library would send."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(line + b"\r\nHost: x\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("target,kind", [
    ("/", "text/html; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    ("/archive.html?q=GK", "text/html; charset=utf-8"),
    ("/documents/SJE-ZY-GK-90.html", "text/html; charset=utf-8"),
    ("/assets/portal.css", "text/css; charset=utf-8"),
    ("/assets/portal.js", "text/javascript; charset=utf-8"),
    ("/files/forms/SJE-JL-GK-90-01_A-0.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("/home.html", "text/html; charset=utf-8"),  # a link that stays inside the site
])
def test_serves_site_files_with_their_content_types(base: str, mixed_site: Path, target: str, kind: str) -> None:
    status, headers, body = request(base, target)
    assert status == 200
    assert headers["content-type"] == kind
    assert int(headers["content-length"]) == len(body) > 0
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_pdf_content_type(mixed_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(mixed_site, site)
    (site / "files" / "x.pdf").write_bytes(b"%PDF-1.7")
    with serving(site) as url:
        status, headers, body = request(url, "/files/x.pdf")
    assert (status, headers["content-type"], body) == (200, "application/pdf", b"%PDF-1.7")


def test_percent_encoded_names_are_decoded(base: str) -> None:
    assert request(base, "/documents/SJE%2DZY%2DGK%2D90.html")[0] == 200


@pytest.mark.parametrize("target", [
    "/../secret.txt",
    "/documents/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/files/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "//secret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "/out.txt",
    "/out-dir/secret.txt",
    "/.hidden",
    "/index.html%00.txt",
    "/empty/",
    "/no-such-page.html",
])
def test_nothing_outside_the_site_is_served(base: str, target: str) -> None:
    status, _, body = request(base, target)
    assert status in (400, 403, 404), target
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_absolute_paths_and_absolute_urls_are_refused(base: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    for target in (str(secret), f"{base}/../secret.txt", f"file://{secret}"):
        status, _, body = request(base, target)
        assert status in (400, 403, 404) and SECRET.encode() not in body, target
    answer = raw_request(base, b"GET * HTTP/1.1")
    assert answer.startswith((b"HTTP/1.0 400", b"HTTP/1.1 400")), answer[:40]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(base: str, method: str) -> None:
    status, headers, _ = request(base, "/index.html", method)
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_head_sends_headers_without_a_body(base: str) -> None:
    _, get_headers, body = request(base, "/index.html")
    status, headers, empty = request(base, "/index.html", "HEAD")
    assert (status, empty) == (200, b"")
    assert headers["content-length"] == get_headers["content-length"] == str(len(body))


def test_a_folder_without_its_slash_is_redirected(base: str, mixed_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(mixed_site, site)
    (site / "sub").mkdir()
    (site / "sub" / "index.html").write_text("<p>sub</p>", encoding="utf-8")
    with serving(site) as url:
        status, headers, _ = request(url, "/sub")
        assert (status, headers["location"]) == (301, "/sub/")
        assert request(url, "/sub/")[0] == 200
