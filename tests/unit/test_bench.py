"""The benchmark's arithmetic and its floor diagram (the timings themselves are not asserted)."""

from painlab.devtools.bench import Row, diagram_factories, floor_diagram, table, two_values, update_samples


def test_median_p95_and_table():
    row = Row("x", [1.0, 2.0, 3.0, 4.0, 100.0], "ms", "floor", 2.0, "<= 5 ms median", True)
    assert row.median == 3.0 and row.p95 == 100.0
    text = table([row, Row("floor", [2.0], "ms")])
    assert "| x | 3.0 ms | 100.0 ms | 5 | 2.0 ms (floor) | 1.50 | <= 5 ms median | yes |" in text
    assert "| floor | 2.0 ms | 2.0 ms | 1 |  |  |  |  |" in text


def test_every_diagram_is_benchmarked_and_updates():
    factories = diagram_factories()
    assert {"nnt_explorer", "dose_response_explorer", "escalate_or_taper",
            "mechanism_diagram"} <= set(factories)
    for factory in [floor_diagram, *factories.values()]:
        diagram = factory()
        control = next(iter(diagram.controls.values()))
        low, high = two_values(control)
        assert low != high
        samples = update_samples(diagram, 4)
        assert len(samples) == 4 and all(s > 0 for s in samples)


def test_a_failed_measurement_is_retried_then_reported_in_its_row():
    from painlab.devtools.bench import attempt, failed_row, section

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("Timeout waiting for output")
        return 42

    assert attempt("flaky", flaky) == 42 and len(calls) == 2

    def broken():
        raise TimeoutError("Timeout waiting for output")

    rows = section("in-kernel updates", broken)
    assert rows[0].error == "TimeoutError: Timeout waiting for output"
    text = table([Row("floor", [2.0], "ms"), failed_row("in-kernel update, x", "ms",
                                                        TimeoutError("busy"), "<= 5 ms median")])
    assert "| in-kernel update, x | **failed**: TimeoutError: busy |  | 0 |  |  | <= 5 ms median" in text
    assert "| floor | 2.0 ms |" in text


def test_a_selection_takes_a_lessons_quiz_and_diagrams():
    from painlab.devtools.bench import ALL, Selection

    five = Selection(("05",))
    assert [p.stem for p in five.lesson_notebooks()] == ["05-non-drug-therapies"]
    assert five.diagram_names() == ["fear_avoidance_cycle", "forest_chart"]
    assert Selection(("04-cann",)).quiz_names() == ["04-cannabinoids"]
    assert set(ALL.diagram_names()) == set(diagram_factories())


def test_a_partial_run_writes_no_file_and_rejects_unknown_parts(tmp_path, capsys):
    import pytest

    from painlab.devtools import bench

    with pytest.raises(SystemExit):
        bench.main(["--parts", "nothing"])
    assert "unknown parts nothing" in capsys.readouterr().err
