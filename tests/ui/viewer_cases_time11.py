"""Viewer cases for issue 11's time fields: a file the user opens with a date column has
time by itself (the vector_file plugin's start field left empty: the host finds it), so the
time bar shows and a chosen day hides the points that start later. Run through
viewer_test.py."""

import json
import os

from viewer_cases_time import drag_time_slider, screen_of_lonlat, x_of_day
from viewer_harness import check, click_at, layer

# West to east across Baicheng; each point starts a year after the one before.
POINTS = [((122.7 + 0.35 * i, 45.3), f"{2018 + i}-01-01") for i in range(4)]


def drawn(img, state, lonlat):
    """Whether a point is drawn at lonlat: a pixel near its centre far from the map's
    background, sampled 15 px to the side (the counties are hidden)."""
    x, y = (round(c) for c in screen_of_lonlat(state, *lonlat))
    bg = img.at(x + 15, y)
    return any(max(abs(a - b) for a, b in zip(img.at(x + dx, y + dy)[:3], bg[:3])) > 40
               for dx in range(-2, 3) for dy in range(-2, 3))


def case_file_time(v):
    os.makedirs(v.work, exist_ok=True)
    path = os.path.join(v.work, "dated.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": f"p{i}", "date": day},
             "geometry": {"type": "Point", "coordinates": list(lonlat)}}
            for i, (lonlat, day) in enumerate(POINTS)]}, f)
    s = v.start(args=(path,))
    s = v.wait_state(lambda st: st["time"]["shown"] and st["time"]["slider"], "the time bar for the opened file")
    s = v.settled()
    t = s["time"]
    print("time bar:", json.dumps({k: t[k] for k in ("all", "day", "firstDay", "lastDay", "slider")}))
    check(t["all"], "the time bar starts on 全部 All")
    click_at(v, s, layer(s, "counties")["checkbox"])
    s = v.wait_state(lambda st: not layer(st, "counties")["visible"], "the counties to be hidden")
    win = t["window"]
    s = v.move_to(s, round((win[0] + win[2]) / 2), round(win[1]) + 2)  # over the bar: no hover
    s = v.settled()

    def shown(name):
        img = v.screenshot(name)
        st = v.state()
        return [drawn(img, st, lonlat) for lonlat, _ in POINTS]

    every = shown("file-time-all")
    print("All:", every)
    check(all(every), f"with All every point of the file is drawn: {every}")
    s1 = drag_time_slider(v, v.state(), round(x_of_day(t, "2019-07-01")))
    s1 = v.settled()
    print("dragged to", s1["time"]["day"])
    mid = shown("file-time-2019")
    print(s1["time"]["day"], mid)
    check(mid == [True, True, False, False], f"on {s1['time']['day']} the points from 2020 on are hidden: {mid}")
