"""Section 1 of tools/gen_villages.py: the pinned source (china-division 2.7.0), the
published totals of Baicheng's campaign, the generation parameters and the paths.
Constants only; tools/gen_villages.py imports them."""

import os

import pinned_npm  # a sibling module (gen_villages.py puts tools/ on the path)

# --- 1. pinned source, published totals, generation parameters --------------------------

# Bump when the output changes, so that files written by an older version are rebuilt.
SCRIPT_VERSION = 1
GENERATOR = "tools/gen_villages.py v%d" % SCRIPT_VERSION

PACKAGE_NAME = "china-division"
PACKAGE_VERSION = "2.7.0"
PACKAGE_SPEC = "%s@%s" % (PACKAGE_NAME, PACKAGE_VERSION)
PACKAGE_TARBALL = "%s-%s.tgz" % (PACKAGE_NAME, PACKAGE_VERSION)
# The "integrity" of the published tarball (npm's dist.integrity): base64 of its SHA-512.
PACKAGE_INTEGRITY = ("sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T"
                     "/9tN1TTpBDoeZn+Yw/qBEA==")
# The two files read from the tarball, with their SHA-256 there, so that copies already
# extracted (--source DIR) are checked too.
MEMBERS = {
    "streets.csv": ("package/dist/streets.csv",
                    "831dc1c483079cee166717118e57f4b69ef6212c699dbd4bff868b59513ac14b"),
    "villages.csv": ("package/dist/villages.csv",
                     "31a824829aeef7b472fced6a3f9f8321cbd9fb26661052be98904f9763ec88ce"),
}
# package.json says MIT; the LICENSE file in the same tarball is the WTFPL (version 2).
# Both let anyone copy and modify; geodata/README.md records the discrepancy.
PACKAGE_LICENCE = "MIT (package.json); the tarball's LICENSE file is the WTFPL v2"
# What the package's README says it holds.
PACKAGE_DATA_NOTE = ("National Bureau of Statistics, 2023 statistical division codes "
                     "(as of 2023-06-30)")

# Facts from the published report on Baicheng's poverty-alleviation campaign (2016-2020).
REPORT = {
    "campaign_start": "2016-01-07",
    "administrative_villages_2015": 919,
    "poor_villages": 384,            # 贫困村, all of them exited
    "poor_people_2015": 201000,
    "ecommerce_stations": 384,       # one 电商服务站 in every poor village
    "safe_water_villages": 919,      # every administrative village (安全饮水)
    "relocated_villages": 31,        # 易地扶贫搬迁 (通榆陆家模式)
    "relocated_households": 5222,
    "relocated_people": 9559,
    # For reference only: not represented in the sample data.
    "poverty_relief_workshops": 32,           # 扶贫车间
    "workshop_employees": 1232,
    "courtyard_economy_model_villages": 150,  # 庭院经济
}

# The five county-level divisions (their codes are the source's areaCode).
COUNTY_CODES = ("220802", "220821", "220822", "220881", "220882")
TONGYU = "220822"

# Generation parameters. None of these are facts; they shape plausible sample data.
SEED = 20160107                       # the campaign's launch day
# Poor villages per county: proportional to the county's village committees, national key
# counties (通榆, 镇赉, 大安) weighted 1.6, provincial ones 0.9 (they had fewer poor villages).
POOR_WEIGHT = {"national": 1.6, "provincial": 0.9}
# Relocated villages per county: most in 通榆县, where the "陆家模式" comes from.
RELOCATED_PER_COUNTY = {"220822": 19, "220882": 4, "220821": 4, "220881": 2, "220802": 2}
MIN_HOUSEHOLDS = 20                   # per relocated village
# Year weights of the generated dates.
EXIT_YEAR_WEIGHT = {2016: 0.10, 2017: 0.30, 2018: 0.35, 2019: 0.20, 2020: 0.05}
STATION_YEAR_WEIGHT = {2016: 0.35, 2017: 0.35, 2018: 0.20, 2019: 0.10}
WATER_YEAR_WEIGHT = {2016: 0.10, 2017: 0.25, 2018: 0.30, 2019: 0.25, 2020: 0.10}
RELOCATION_YEAR_WEIGHT = {2016: 0.20, 2017: 0.35, 2018: 0.30, 2019: 0.15}
EXIT_FIRST_DAY = "2016-06-30"
STATION_FIRST_DAY, STATION_LAST_DAY = "2016-03-01", "2019-12-31"
# Distances in kilometres.
TOWNSHIP_CANDIDATES = 40              # best-candidate sampling: candidates per township
TOWNSHIP_BORDER_MARGIN_KM = 3.0       # township centres stay this far inside their county
VILLAGE_SIGMA_KM = 5.0                # villages: Gaussian around their township centre
VILLAGE_BORDER_MARGIN_KM = 0.3        # keeps every point clearly inside, whatever the rule
VILLAGE_SPACING_KM = 1.2              # no two villages closer (relaxed if a spot is crowded)
SITE_MIN_KM, SITE_MAX_KM = 3.0, 15.0  # resettlement site: this far from the village
SITE_ANGLE_SIGMA_DEG = 25.0           # ... roughly toward the township centre

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEODATA, CACHE = pinned_npm.data_folders(ROOT)
COUNTIES = os.path.join(GEODATA, "baicheng_counties.geojson")
OUTPUT_NAMES = ("baicheng_townships", "baicheng_villages", "baicheng_relocation")

NOTE = ("Sample data. Names, codes and township membership are real (china-division 2.7.0, "
        "the National Bureau of Statistics' division codes); the totals match the published "
        "report on Baicheng's campaign. Positions, which villages are poor or relocated, all "
        "dates, resettlement sites and the household/people split are generated by "
        "tools/gen_villages.py. Positions were sampled inside the AMap-derived county polygons: "
        "do not commit or redistribute this file.")
