"""`python -m tests.web`: serve the local test web (the crawler's test sites) until Ctrl-C."""

import time

from tests.web.server import LocalWeb
from tests.web.sites import test_sites

if __name__ == "__main__":
    sites = test_sites()
    with LocalWeb(list(sites.values())) as web:
        for name, site in sites.items():
            print(f"{name:6} {site.base_url}  robots: {site.base_url}/robots.txt")
        print("trs list:", sites["trs"].list_url())
        print("api list:", sites["api"].list_url(), " jsonp:", sites["api"].jsonp_url())  # type: ignore[attr-defined]
        print("gbk list:", sites["gbk"].list_url())
        print("flaky list:", sites["flaky"].list_url())
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
