#!/usr/bin/env python3
"""Lays out the "browse" bucket the storage browser's tests list, the same in every store:

  big/obj-00000.csv … big/obj-09999.csv   10,000 objects in one prefix (paging)
  nested/readme.txt, nested/2026/q3/report.csv, nested/2026/q4/report.csv
  odd/…                                   names a terminal or a reader could be fooled by:
                                          an escape sequence, a right-to-left override, CJK,
                                          spaces and a plus, and a name of about 1 KiB

usage: browse_seed.py files DIR       writes them as files under DIR (s3s-fs's bucket folder,
                                      fake-gcs-server's preloaded bucket); a name's parts stay
                                      under the file system's 255 bytes, so the long name is
                                      4 parts of 250
       browse_seed.py azure ENDPOINT ACCOUNT KEY   uploads them to container "browse" with the
                                      real Azure SDK (REQUESTS_CA_BUNDLE names the test CA); the
                                      long name is one part of 1,000 characters, and the escape
                                      sequence is left out: Azurite answers a listing that holds
                                      a control character with HTTP 500 (Azure itself sends such
                                      a name percent-encoded, Encoded="true")
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

BIG = 10_000


def names(long_name):
    for i in range(BIG):
        yield f"big/obj-{i:05d}.csv", b"n,v\n1,2\n"
    yield "nested/readme.txt", b"read me\n"
    yield "nested/2026/q3/report.csv", b"region,total\nsouth,7\n"
    yield "nested/2026/q4/report.csv", b"region,total\nnorth,42\n"
    yield "odd/esc\x1b[2Jcleared.txt", b"x"
    yield "odd/report\u202egnp.exe", b"x"
    yield "odd/日本語 データ+1.csv", b"x"
    yield "odd/" + long_name, b"x"


def files(root):
    long_name = "/".join(["l" * 250] * 4)
    for name, body in names(long_name):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)


def azure(endpoint, account, key):
    from azure.storage.blob import BlobServiceClient
    client = BlobServiceClient(endpoint, credential={"account_name": account, "account_key": key})
    container = client.create_container("browse")

    def put(item):
        container.upload_blob(item[0], item[1], overwrite=True)

    printable = (n for n in names("l" * 1000) if "\x1b" not in n[0])
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(put, printable))


if __name__ == "__main__":
    if sys.argv[1] == "files":
        files(sys.argv[2])
    else:
        azure(*sys.argv[2:5])
