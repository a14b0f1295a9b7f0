"""Viewer cases: plugins installed while the viewer runs.

user_plugin_folder: the user's plugin folder ($XDG_DATA_HOME/bcmap/plugins) does not exist
when the viewer starts (a fresh account); it is made with its parents and a plugin copied in
(written in place, as `cp` does); the running viewer picks the layer up, and the layer panel
says it came from the user folder. A second plugin is then installed the way `cmake
--install` and linkers do it (a temporary file renamed into place)."""
import os
import shutil
import subprocess

from viewer_harness import TIMEOUT_S, check


def layer(state, layer_id):
    """The layer's entry in the state, None when there is none (yet)."""
    return next((l for l in state["layers"] if l["id"] == layer_id), None)


def case_user_plugin_folder(v):
    xdg = os.path.join(v.work, "xdg")
    shutil.rmtree(xdg, ignore_errors=True)
    env = {"XDG_DATA_HOME": xdg, "XDG_CONFIG_HOME": os.path.join(v.work, "config")}
    shutil.rmtree(env["XDG_CONFIG_HOME"], ignore_errors=True)
    s = v.start(extra_env=env)
    check(layer(s, "test_points") is None, "no test_points layer before it is installed")
    check(not os.path.exists(xdg), "the user folder's parent does not exist yet")

    user = os.path.join(xdg, "bcmap", "plugins")
    os.makedirs(user, mode=0o755)  # mkdir -p of the whole chain
    for d in (xdg, os.path.join(xdg, "bcmap"), user):
        os.chmod(d, 0o755)  # the host refuses plugins in folders others can write to
    dst = os.path.join(user, "bcmap_fixture_good_points.so")
    shutil.copyfile(os.path.join(v.fixtures, "bcmap_fixture_good_points.so"), dst)
    os.chmod(dst, 0o755)
    s = v.wait_state(lambda st: (layer(st, "test_points") or {}).get("status") == "loaded",
                     "the plugin copied into the new user folder to load")
    origin = s["facts"].get("layer.origin.test_points", "")
    check("user folder" in origin and origin.endswith(user), f"the layer panel names the user folder: {origin!r}")
    # What the user sees at 900x600: the row, and its tooltip saying where it came from.
    wid = subprocess.run(["xdotool", "search", "--name", "bcmap"], env=v.env(), capture_output=True, text=True,
                         timeout=TIMEOUT_S).stdout.split()
    check(wid, "no bcmap window found by name")
    v.xdotool("windowsize", wid[0], 900, 600)
    s = v.wait_state(lambda st: st["window"]["width"] == 900 and st["window"]["height"] == 600, "the resize")
    row = layer(s, "test_points")["checkbox"]
    s = v.move_to(s, round(row[2] + 30), round((row[1] + row[3]) / 2))
    v.settled()
    v.screenshot("user-plugin-900x600")

    # Installed as `cmake --install` does: a temporary file, then a rename over the name.
    tmp = os.path.join(user, ".bcmap_fixture_rows_aggregate.so.tmp")
    shutil.copyfile(os.path.join(v.fixtures, "bcmap_fixture_rows_aggregate.so"), tmp)
    os.chmod(tmp, 0o755)
    os.rename(tmp, os.path.join(user, "bcmap_fixture_rows_aggregate.so"))
    v.wait_state(lambda st: (layer(st, "rows_aggregate") or {}).get("status") == "loaded",
                 "the plugin renamed into the user folder to load")
