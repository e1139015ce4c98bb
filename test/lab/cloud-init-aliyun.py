#!/usr/bin/env python3
# cloud-init's own code (the Debian package's cloudinit modules, nothing
# copied) reading eniplane's metadata service from inside a lab instance, the
# two ways its AliYun datasource does:
#
# - Debian's version (22.4): DataSourceAliYun is an Ec2 datasource: it checks
#   <v>/meta-data/instance-id, reads <v>/user-data and crawls the directory
#   tree under <v>/meta-data/ (v = 2016-01-01), then converts
#   meta-data/network to a network config.
# - upstream's current one: a token from PUT latest/api/token
#   (X-aliyun-ecs-metadata-token-ttl-seconds), then <v>/meta-data/all (the
#   whole tree as JSON, its leaves decoded like crawled ones), falling back to
#   the same directory crawl. Done here with Debian's url_helper and ec2
#   helpers, so the request sequence is upstream's and the code Debian's.
#
# Prints one JSON document: what each way got, and every request made with
# its HTTP status. Usage: cloud-init-aliyun.py http://100.100.100.200
import json
import sys
import tempfile

from cloudinit import helpers, url_helper, util
from cloudinit.sources import DataSourceAliYun as ay
from cloudinit.sources.helpers import ec2

base = sys.argv[1]
version = "2016-01-01"
requests = []

_readurl = url_helper.readurl


def recording_readurl(url, *args, **kwargs):
    try:
        r = _readurl(url, *args, **kwargs)
    except url_helper.UrlError as e:
        requests.append([kwargs.get("request_method") or "GET", url, e.code])
        raise
    requests.append([kwargs.get("request_method") or "GET", url, r.code])
    return r


url_helper.readurl = recording_readurl
# The metadata address is an IP: without this cloud-init first resolves
# names to detect DNS redirection (there is no resolver inside a lab namespace).
util.is_resolvable_url = lambda url: True
# What an ECS instance's SMBIOS says, which is how the datasource knows it is on Alibaba Cloud.
ay.dmi.read_dmi_data = lambda key: ay.ALIYUN_PRODUCT if key == "system-product-name" else None

tmp = tempfile.mkdtemp()
cfg = {"datasource": {"AliYun": {"metadata_urls": [base], "timeout": 5, "max_wait": 20}}}
ds = ay.DataSourceAliYun(cfg, None, helpers.Paths({"cloud_dir": tmp, "run_dir": tmp}))
ok = ds._get_data()
debian = {
    "ok": bool(ok),
    "cloudName": ds.cloud_name,
    "metadata": ds.metadata,
    "userdata": (ds.userdata_raw or b"").decode() if isinstance(ds.userdata_raw, bytes) else ds.userdata_raw,
    "instanceId": ds.get_instance_id() if ok else None,
    "hostname": ds.get_hostname().hostname if ok else None,
    "publicKeys": ds.get_public_ssh_keys() if ok else None,
    "networkConfig": ds.network_config if ok else None,
}

# upstream's sequence
token = url_helper.readurl(
    f"{base}/latest/api/token",
    request_method="PUT",
    headers={"X-aliyun-ecs-metadata-token-ttl-seconds": "21600"},
).contents.decode()
with_token = lambda url="": {"X-aliyun-ecs-metadata-token": token}  # noqa: E731
decode = ec2.MetadataLeafDecoder()


def decode_leaves(d):
    if isinstance(d, dict):
        return {k: decode_leaves(v) for k, v in d.items()}
    return decode("", d)


all_url = url_helper.combine_url(base, version, "meta-data/all")
raw_all = url_helper.read_file_or_url(all_url, timeout=5, retries=0, headers_cb=with_token).contents
upstream = {
    "tokenLength": len(token),
    "all": decode_leaves(json.loads(raw_all)),
    "tree": ec2.get_instance_metadata(version, base, headers_cb=with_token, retries=0),
}

json.dump({"debian": debian, "upstream": upstream, "requests": requests}, sys.stdout)
