"""`medbill data sync` without a mirror: download from the publisher's URL (a local HTTP server on
127.0.0.1 stands in for cms.gov), unpack the zip, keep the named member, check its checksum."""

import hashlib
import http.server
import threading
import zipfile
from pathlib import Path

import pytest

from medbill.codesets.manifest import parse_manifest
from medbill.codesets.sync import sync

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def publisher(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    member = (FIXTURES / "icd10cm-neoplasm-mini.xml").read_bytes()
    with zipfile.ZipFile(site / "release.zip", "w") as zf:
        zf.writestr("xml/icd10cm-neoplasm-mini.xml", member)
        zf.writestr("xml/readme.txt", "other files of the release are not kept")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hashlib.sha256(member).hexdigest()
    server.shutdown()
    server.server_close()


def _manifest(url: str, sha: str) -> str:
    return f"""[[release]]
id = "neoplasm-download-test"
system = "icd10cm"
component = "neoplasm"
name = "Neoplasm table (download test)"
publisher = "test"
url = "{url}"
effective_from = 2099-04-01
files = [{{ name = "icd10cm-neoplasm-mini.xml", sha256 = "{sha}" }}]
"""


def test_download_unpacks_the_named_member(publisher, tmp_path):
    base, sha = publisher
    manifest = parse_manifest(_manifest(f"{base}/release.zip", sha))
    [outcome] = sync(manifest, tmp_path / "releases", mirror=None)
    assert outcome.status == "installed"
    folder = tmp_path / "releases" / "neoplasm-download-test"
    assert sorted(p.name for p in folder.iterdir()) == ["icd10cm-neoplasm-mini.xml", "release.json"]


def test_download_with_a_wrong_checksum_installs_nothing(publisher, tmp_path):
    base, _ = publisher
    manifest = parse_manifest(_manifest(f"{base}/release.zip", "0" * 64))
    [outcome] = sync(manifest, tmp_path / "releases", mirror=None)
    assert outcome.status == "failed"
    assert "icd10cm-neoplasm-mini.xml" in outcome.detail
    assert not (tmp_path / "releases" / "neoplasm-download-test").exists()


def test_download_of_a_missing_file_is_named(publisher, tmp_path):
    base, sha = publisher
    manifest = parse_manifest(_manifest(f"{base}/nothing.zip", sha))
    [outcome] = sync(manifest, tmp_path / "releases", mirror=None)
    assert outcome.status == "failed"
    assert "nothing.zip" in outcome.detail
