"""Each class of bad input yields its own message naming file, row and column."""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from platform_sc import InputError, from_frames, read_folder, validate

from .conftest import DATA


def problems(frames) -> list[str]:
    with pytest.raises(InputError) as err:
        validate(from_frames(frames))
    return [str(p) for p in err.value.problems]


def test_bad_type_and_negative_value_in_one_message(tiny):
    tiny["segments"] = tiny["segments"].astype({"demand": object})
    tiny["segments"].loc[1, "demand"] = "lots"
    tiny["plants"].loc[0, "setup_cost"] = -5
    found = problems(tiny)
    assert "table segments, row 2, column 'demand': must be a number (got 'lots')" in found
    assert "table plants, row 1, column 'setup_cost': must be non-negative (got '-5.0')" in found


def test_missing_column(tiny):
    tiny["options"] = tiny["options"].drop(columns="level")
    assert problems(tiny) == ["table options, column 'level': required column is missing"]


def test_duplicate_key(tiny):
    tiny["plant_segment"] = pd.concat([tiny["plant_segment"], tiny["plant_segment"].iloc[[0]]], ignore_index=True)
    assert any("row 3, column 'segment': duplicate key (plant='P1', segment='s1')" in p for p in problems(tiny))


def test_unknown_key(tiny):
    tiny["supplier_plant"].loc[1, "plant"] = "P9"
    assert problems(tiny) == ["table supplier_plant, row 2, column 'plant': unknown plant 'P9' (not in plants)"]


def test_threshold_no_option_meets(tiny):
    tiny["thresholds"].loc[2, "min_level"] = 3
    assert any("row 3, column 'min_level': no option of module 'A' meets level 3" in p for p in problems(tiny))


def test_supplier_without_options(tiny):
    tiny["suppliers"] = pd.concat([tiny["suppliers"], pd.DataFrame(
        [{"supplier": "SX", "module": "A", "region": "R1", "capacity": 5, "selection_cost": 1}])], ignore_index=True)
    assert problems(tiny) == ["table suppliers, row 3, column 'supplier': supplier 'SX' has no options in supplier_options"]


def test_price_breaks_out_of_order(tiny):
    extra = pd.DataFrame([{"supplier": "SA", "option": "A1", "min_quantity": 50, "unit_price": 4},
                          {"supplier": "SA", "option": "A1", "min_quantity": 20, "unit_price": 4.5}])
    tiny["price_breaks"] = pd.concat([tiny["price_breaks"], extra], ignore_index=True)
    assert any("price breaks are out of order" in p for p in problems(tiny))


def test_price_rising_with_quantity(tiny):
    extra = pd.DataFrame([{"supplier": "SA", "option": "A1", "min_quantity": 50, "unit_price": 6}])
    tiny["price_breaks"] = pd.concat([tiny["price_breaks"], extra], ignore_index=True)
    assert any("row 5, column 'unit_price'" in p and "rises with quantity" in p for p in problems(tiny))


def test_price_break_rows_named(tiny):
    pb = tiny["price_breaks"]
    pb.loc[1, "min_quantity"] = 10                      # SA/A2 starts at 10 (row 2)
    tiny["price_breaks"] = pd.concat([pb.drop(index=3), pd.DataFrame(  # SB/B2 has no break left
        [{"supplier": "SB", "option": "A1", "min_quantity": 0, "unit_price": 1}])], ignore_index=True)
    found = problems(tiny)
    assert "table price_breaks, row 2, column 'min_quantity': supplier 'SA', option 'A2': the first price " \
           "break must start at 0" in found
    assert "table price_breaks, row 4, column 'option': supplier 'SB' is not capable of option 'A1' " \
           "(no row in supplier_options)" in found
    assert "table supplier_options, row 4, column 'option': supplier 'SB', option 'B2' has no price break" in found


def test_option_of_wrong_module(tiny):
    tiny["supplier_options"].loc[0, "option"] = "B1"
    assert any("option 'B1' is of module 'B', but supplier 'SA' makes module 'A'" in p for p in problems(tiny))


def test_supplier_capacity_cannot_cover_demand(tiny):
    tiny["suppliers"].loc[1, "capacity"] = 12
    found = problems(tiny)
    assert ("table suppliers, column 'capacity': module 'B': suppliers can deliver at most "
            "12 units through the allowed arcs, but total demand is 30") in found
    # and segment s2 needs 20 units of one B option, which no option's suppliers can make
    assert any(p.startswith("table thresholds, row 4, column 'min_level': segment 's2', module 'B': "
                            "the suppliers of any acceptable option can make at most 12 units") for p in found)


def test_capacity_checks_leave_out_what_the_rules_exclude(tiny):
    # an excluded supplier supplies nothing: demo with engine-NA-1 excluded was a bare
    # 'infeasible' after the solve, not diagnosed before it
    tiny["supplier_rules"] = pd.DataFrame([{"supplier": tiny["suppliers"].loc[1, "supplier"], "status": "excluded"}])
    found = problems(tiny)
    assert any("suppliers can deliver at most 0 units" in p and p.endswith(
        "(without the suppliers supplier_rules excludes)") for p in found), found


def test_no_reachable_supplier_for_threshold(tiny):
    tiny["supplier_options"] = tiny["supplier_options"][tiny["supplier_options"].option != "A2"]
    tiny["price_breaks"] = tiny["price_breaks"][tiny["price_breaks"].option != "A2"]
    assert any("segment 's2', module 'A': no supplier that can reach" in p for p in problems(tiny))


def test_a_segment_needs_one_plant_that_every_module_reaches(tiny):
    # Both plants may build both segments; module A's supplier ships only to P1, module
    # B's only to P2: each module reaches some plant of each segment, no plant gets both.
    tiny["plants"] = pd.DataFrame([{"plant": p, "region": "R1", "capacity": 100, "setup_cost": 50}
                                   for p in ("P1", "P2")])
    tiny["plant_segment"] = pd.DataFrame([{"plant": p, "segment": m, "unit_cost": 2}
                                          for p in ("P1", "P2") for m in ("s1", "s2")])
    tiny["supplier_plant"] = pd.DataFrame([{"supplier": "SA", "plant": "P1", "unit_shipping_cost": 1},
                                           {"supplier": "SB", "plant": "P2", "unit_shipping_cost": 1}])
    assert problems(tiny) == [f"table segments, row {i}, column 'segment': segment '{m}': none of its plants "
                              "receives an acceptable option of every module (each module's suppliers reach "
                              "only some of them)" for i, m in ((1, "s1"), (2, "s2"))]


def test_extra_columns_named_like_joined_ones_are_ignored(tiny):
    tiny["supplier_options"]["capacity"] = "n/a"  # a user's note column, not the supplier's capacity
    tiny["thresholds"]["plant"] = "any"
    validate(from_frames(tiny))


def test_csv_errors_name_the_file_and_line(tmp_path):
    shutil.copytree(DATA / "tiny", tmp_path / "bad")
    seg = tmp_path / "bad" / "segments.csv"
    seg.write_text(seg.read_text().replace("s2,R1,20", "s2,R1,-20"))
    with pytest.raises(InputError, match=r"segments.csv, row 3, column 'demand': must be non-negative"):
        validate(read_folder(tmp_path / "bad"))


def test_csv_errors_name_the_line_after_blank_lines(tmp_path):
    # Blank lines (and rows of empty cells) are skipped but counted: the bad cell is on
    # line 5 of the file, not on the third data row's line 4. The data are unchanged.
    shutil.copytree(DATA / "tiny", tmp_path / "bad")
    seg = tmp_path / "bad" / "segments.csv"
    header, first, *rest = seg.read_text().splitlines()
    seg.write_text("\n".join([header, first, "", " , , ", *rest]).replace("s2,R1,20", "s2,R1,-20") + "\n")
    with pytest.raises(InputError, match=r"segments.csv, row 5, column 'demand': must be non-negative"):
        validate(read_folder(tmp_path / "bad"))
    seg.write_text(seg.read_text().replace("s2,R1,-20", "s2,R1,20"))
    assert read_folder(tmp_path / "bad")["segments"].equals(read_folder(DATA / "tiny")["segments"])


def test_cli_reports_without_traceback(tmp_path):
    shutil.copytree(DATA / "tiny", tmp_path / "bad")
    (tmp_path / "bad" / "plants.csv").unlink()
    proc = subprocess.run([sys.executable, "-m", "platform_sc", "solve", str(tmp_path / "bad")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "required table 'plants' is missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_excel_round_trip(tmp_path):
    from platform_sc import read, write_excel
    inst = read_folder(DATA / "tiny")
    write_excel(inst, tmp_path / "tiny.xlsx")
    back = validate(read(tmp_path / "tiny.xlsx"))
    assert back["segments"]["demand"].tolist() == [10.0, 20.0]


@pytest.mark.parametrize("damage", ["truncated", "not-a-workbook-zip"])
def test_a_damaged_workbook_is_reported_by_name(tmp_path, damage):
    import zipfile
    from platform_sc import read, write_excel
    book = tmp_path / "tiny.xlsx"
    write_excel(read_folder(DATA / "tiny"), book)
    if damage == "truncated":
        book.write_bytes(book.read_bytes()[:300])
    else:
        with zipfile.ZipFile(book, "w") as z:
            z.writestr("notes.txt", "no workbook here")
    with pytest.raises(InputError, match=r"tiny.xlsx: cannot be read as a workbook"):
        read(book)
