#!/usr/bin/env python3
"""Regenerates sim-web/assets/land.txt, the map's land outline, from Natural
Earth's 1:110m land polygons (public domain), as redistributed in TopoJSON by
the npm package world-atlas@2.0.2 (ISC):

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 /path/to/scripts/make-land.py package/land-110m.json > sim-web/assets/land.txt

Each output line is one ring (outer boundary or hole) as `lon,lat` pairs in
tenths of a degree separated by spaces; consecutive duplicate points after
rounding are dropped, and rings left with fewer than 4 points are skipped.
"""
import json
import sys


def rings(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def arc_points(i):
        return arcs[i] if i >= 0 else list(reversed(arcs[~i]))

    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            for ring in poly:
                pts = []
                for i in ring:
                    a = arc_points(i)
                    pts.extend(a if not pts else a[1:])
                yield pts


def main():
    topo = json.load(open(sys.argv[1]))
    print("# Natural Earth 1:110m land (public domain), via world-atlas@2.0.2; made by scripts/make-land.py")
    print("# one ring per line: lon,lat in tenths of a degree")
    for pts in rings(topo):
        out = []
        for lon, lat in pts:
            p = (round(lon * 10), round(lat * 10))
            if not out or out[-1] != p:
                out.append(p)
        if len(out) >= 4:
            print(" ".join(f"{a},{b}" for a, b in out))


main()
