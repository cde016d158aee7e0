#!/usr/bin/env python3
"""Prepares the Azurite account the tests use, with the real Azure SDK: a container "reports"
holding one blob, and SAS tokens signed with the account key (an account SAS, a SAS for the
"reports" container, an account SAS that expired yesterday, and one that may read but not list). Prints them as servers.env
lines.

usage: azurite_setup.py BLOB_ENDPOINT ACCOUNT KEY   (REQUESTS_CA_BUNDLE names the test CA)
"""
import sys
from datetime import datetime, timedelta, timezone

from azure.storage.blob import (AccountSasPermissions, BlobServiceClient, ContainerSasPermissions,
                                ResourceTypes, generate_account_sas, generate_container_sas)

endpoint, account, key = sys.argv[1:4]
client = BlobServiceClient(endpoint, credential={"account_name": account, "account_key": key})
client.create_container("reports").upload_blob("2026/q4.csv", b"region,total\nnorth,42\n")
now = datetime.now(timezone.utc)
account_sas = generate_account_sas(account, key, ResourceTypes(service=True, container=True, object=True),
                                   AccountSasPermissions(read=True, list=True), expiry=now + timedelta(days=1))
expired_sas = generate_account_sas(account, key, ResourceTypes(service=True, container=True, object=True),
                                   AccountSasPermissions(read=True, list=True), expiry=now - timedelta(days=1),
                                   start=now - timedelta(days=2))
read_only_sas = generate_account_sas(account, key, ResourceTypes(service=True, container=True, object=True),
                                     AccountSasPermissions(read=True), expiry=now + timedelta(days=1))
container_sas = generate_container_sas(account, "reports", key, permission=ContainerSasPermissions(read=True, list=True),
                                       expiry=now + timedelta(days=1))
print(f"PB_AZ_ACCOUNT_SAS={account_sas}")
print(f"PB_AZ_EXPIRED_SAS={expired_sas}")
print(f"PB_AZ_CONTAINER_SAS={container_sas}")
print(f"PB_AZ_READ_ONLY_SAS={read_only_sas}")
