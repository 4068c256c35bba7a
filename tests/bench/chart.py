#!/usr/bin/env python3
"""Draws the bench table as an SVG bar chart: requests per second of each server, per target and
connection count, with its ratio to nginx measured in the same run. Plain SVG, no library.

Usage: chart.py TABLE.tsv OUT.svg [TITLE]
TABLE.tsv: lines 'server<TAB>target<TAB>conns<TAB>req_per_s<TAB>p50<TAB>p99<TAB>x_nginx'.
"""
import html
import sys

rows = []
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 7 and parts[0] != "server":
            server, target, conns, rps, p50, p99, ratio = parts
            rows.append((server, target, int(conns), float(rps), p50, p99, float(ratio)))
title = sys.argv[3] if len(sys.argv) > 3 else "Portico against nginx, same machine, same run"

groups = []  # (target, conns) in table order
for r in rows:
    if (r[1], r[2]) not in groups:
        groups.append((r[1], r[2]))
servers = []
for r in rows:
    if r[0] not in servers:
        servers.append(r[0])
palette = ["#6b7280", "#2563eb", "#0891b2", "#7c3aed", "#d97706", "#059669"]
color = {s: palette[i % len(palette)] for i, s in enumerate(servers)}

bar_h, gap, group_gap, left, width = 16, 3, 18, 250, 460
top = 56
peak = max((r[3] for r in rows), default=1.0)
height = top + len(groups) * (len(servers) * (bar_h + gap) + group_gap + 20) + 30
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{height}" '
       f'font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="{html.escape(title)}">',
       f'<rect width="100%" height="100%" fill="#ffffff"/>',
       f'<text x="16" y="24" font-size="15" font-weight="600">{html.escape(title)}</text>',
       f'<text x="16" y="42" fill="#555">requests per second (wrk, loopback); the figure after each bar '
       f'is the ratio to nginx</text>']
y = top
for target, conns in groups:
    out.append(f'<text x="16" y="{y + 12}" font-weight="600">{html.escape(target)} '
               f'at {conns:,} connections</text>')
    y += 20
    for server in servers:
        match = [r for r in rows if r[0] == server and r[1] == target and r[2] == conns]
        if not match:
            continue
        r = match[0]
        w = max(1, int(width * r[3] / peak))
        out.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{html.escape(server)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w}" height="{bar_h}" fill="{color[server]}"/>')
        out.append(f'<text x="{left + w + 6}" y="{y + 12}">{r[3]:,.0f}  ×{r[6]:.2f}</text>')
        y += bar_h + gap
    y += group_gap
out.append("</svg>")
with open(sys.argv[2], "w") as f:
    f.write("\n".join(out) + "\n")
