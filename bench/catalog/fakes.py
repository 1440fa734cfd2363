#!/usr/bin/env python3
"""Writes WireMock mappings for a YTS and an Internet Archive fake, each answering after DELAY ms.

Usage: fakes.py DIR DELAY_MS. The films are made up for load only (titles "Bench Film N"); the
shapes follow ../shared/reference/PROVIDERS.md (YTS list_movies, Archive advancedsearch).
"""
import json, os, sys

root, delay = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(root, "mappings"), exist_ok=True)

def movie(i):
    h = f"{i:040X}"
    return {"id": i, "imdb_code": f"tt{9000000 + i}", "title": f"Bench Film {i}", "year": 1930 + i % 90,
            "rating": round(5 + (i % 50) / 10, 1), "runtime": 90 + i % 40, "genres": ["Drama", "Horror"][: 1 + i % 2],
            "summary": f"Summary of bench film {i}.", "medium_cover_image": f"http://127.0.0.1/img/{i}.jpg",
            "torrents": [{"url": f"http://127.0.0.1/torrent/{h}", "hash": h, "quality": "1080p", "seeds": 10 + i,
                          "peers": i % 7, "size": "1.2 GB", "size_bytes": 1288490188}]}

def doc(i):
    return {"identifier": f"bench_film_{i}", "title": f"Bench Archive Film {i}", "year": str(1920 + i % 40),
            "downloads": 10000 - i, "description": f"<p>Archive film {i}</p>"}

yts = {"status": "ok", "status_message": "Query was successful",
       "data": {"movie_count": 20, "limit": 20, "page_number": 1, "movies": [movie(i) for i in range(1, 21)]}}
archive = {"responseHeader": {"status": 0}, "response": {"numFound": 20, "start": 0, "docs": [doc(i) for i in range(1, 21)]}}

for name, path, body in [("yts", "/api/v2/list_movies.json", yts), ("archive", "/advancedsearch.php", archive)]:
    mapping = {"request": {"method": "GET", "urlPath": path},
               "response": {"status": 200, "fixedDelayMilliseconds": delay, "jsonBody": body,
                            "headers": {"Content-Type": "application/json"}}}
    with open(os.path.join(root, "mappings", name + ".json"), "w") as f:
        json.dump(mapping, f)
