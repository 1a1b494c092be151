"""``platform-sc inventory ...``: deteriorating-item order level and safety-stock plans."""
from __future__ import annotations

import json

import click

from ..inventory import deteriorating as dp
from ..inventory import safety_stock as ss
from ..io import read
from ..pipeline import SolveOptions, run
from .common import EXIT_NO_SOLUTION, NON_NEGATIVE, POSITIVE, Number, friendly_errors

# a probability strictly between 0 and 1 (z = Φ⁻¹(level) is infinite at 0 and 1)
SERVICE_LEVEL = Number(min=0, max=1, min_open=True, max_open=True)


@click.group()
def inventory() -> None:
    """Inventory companion methods (safety stock, deteriorating stock)."""


@inventory.command()
@click.option("--d", "d", type=POSITIVE, required=True, help="Demand per cycle.")
@click.option("--T", "T", type=POSITIVE, required=True, help="Cycle length.")
@click.option("--n", "n", type=POSITIVE, required=True, help="Demand pattern index (0 < n).")
@click.option("--theta0", type=NON_NEGATIVE, required=True, help="Deterioration: θ(t) = θ0·t.")
@click.option("--c1", type=NON_NEGATIVE, required=True, help="Holding cost per unit per unit time.")
@click.option("--c2", type=NON_NEGATIVE, required=True, help="Shortage cost per unit per unit time.")
@click.option("--c3", type=NON_NEGATIVE, required=True, help="Cost per deteriorated unit.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def deteriorating(d, T, n, theta0, c1, c2, c3, as_json):
    """Datta & Pal (1988) order level: t1*, S*, Q*, deteriorated units, average cost."""
    if c1 + c2 <= 0:
        raise click.BadParameter("the holding and shortage costs cannot both be 0", param_hint="--c1/--c2")
    try:
        r = dp.order_level(d, T, n, theta0, c1, c2, c3)
    except OverflowError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(r.as_dict(), indent=2))
        return
    rows = [("t1* (stock-out time, cubic root)", r.t1), ("t1 (numerical minimiser of C)", r.t1_numeric),
            ("S* (initial stock)", r.S), ("Q* (order quantity)", r.Q),
            ("deteriorated units per cycle", r.deteriorated), ("average cost per unit time", r.average_cost)]
    click.echo("\n".join(f"{k:<36}{v:>16.6f}" for k, v in rows))
    click.echo("cubic L, M, N, P: " + ", ".join(f"{c:.6g}" for c in r.cubic))


@inventory.command("safety-stock")
@click.argument("instance", type=click.Path(exists=True))
@click.option("--method", type=click.Choice(ss.METHODS), default="statistical_lt", show_default=True)
@click.option("--service-level", type=SERVICE_LEVEL, default=0.95, show_default=True)
@click.option("--demand-cv", type=NON_NEGATIVE, default=0.2, show_default=True, help="σ of daily usage / mean.")
@click.option("--peak-factor", type=NON_NEGATIVE, default=1.2, show_default=True, help="Max / average daily usage.")
@click.option("--cover-days", type=NON_NEGATIVE, default=5.0, show_default=True, help="Time-based method.")
@click.option("--fixed-units", type=NON_NEGATIVE, default=0.0, show_default=True, help="Fixed method.")
@click.option("--lifetime-years", type=POSITIVE, default=5.0, show_default=True)
@click.option("--working-days", type=POSITIVE, default=250.0, show_default=True, help="Working days per year.")
@click.option("--holding-rate", type=NON_NEGATIVE, default=None,
              help="Charge safety-stock holding cost (yearly rate on unit value) in the optimisation.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@friendly_errors
def safety_stock(instance, method, service_level, demand_cv, peak_factor, cover_days, fixed_units,
                 lifetime_years, working_days, holding_rate, as_csv):
    """Solve INSTANCE and print safety stock and reorder point per (plant, option, supplier).

    Lead times come from the instance's lead_times.csv or local / inter-region defaults.
    """
    if holding_rate is not None and method == "fixed":
        raise click.BadParameter("the fixed method is not proportional to flow, so its holding cost cannot be "
                                 "charged in the optimisation; use another --method", param_hint="--holding-rate")
    policy = ss.SafetyStockPolicy(method=method, service_level=service_level, demand_cv=demand_cv,
                                  peak_factor=peak_factor, cover_days=cover_days, fixed_units=fixed_units)
    calendar = ss.ProductionCalendar(lifetime_years, working_days)
    inst = read(instance)
    if holding_rate is not None:
        inst = ss.with_safety_stock_cost(inst, holding_rate, calendar=calendar, policy=policy)
    result = run(inst, SolveOptions(method="monolithic"))
    if result.solution is None:
        click.echo(f"error: no solution found (status {result.status})", err=True)
        raise SystemExit(EXIT_NO_SOLUTION)
    plan = ss.safety_stock_plan(result.solution.procurement, inst, calendar, policy=policy)
    if as_csv:
        click.echo(plan.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        note = f", incl. safety-stock holding cost at {holding_rate:g}/year" if holding_rate is not None else ""
        click.echo(f"total cost {result.objective:,.2f}  (safety stock by {method}{note})")
        click.echo(plan.to_string(index=False, float_format=lambda x: f"{x:.3f}"))


@inventory.command("formula")
@click.option("--method", type=click.Choice(["max_average", "statistical", "statistical_lt"]), required=True)
@click.option("--avg-usage", type=NON_NEGATIVE, required=True, help="Average usage per period.")
@click.option("--avg-lead", type=NON_NEGATIVE, required=True, help="Average lead time (periods).")
@click.option("--max-usage", type=NON_NEGATIVE, help="max_average: maximum usage per period.")
@click.option("--max-lead", type=NON_NEGATIVE, help="max_average: maximum lead time.")
@click.option("--sd-usage", type=NON_NEGATIVE, help="statistical: σ of usage per period.")
@click.option("--sd-lead", type=NON_NEGATIVE, default=0.0, help="statistical_lt: σ of the lead time.")
@click.option("--service-level", type=SERVICE_LEVEL, default=0.95, show_default=True)
@friendly_errors
def formula(method, avg_usage, avg_lead, max_usage, max_lead, sd_usage, sd_lead, service_level):
    """Safety stock and reorder point of one item from the spec's formulas."""
    if method == "max_average":
        if max_usage is None or max_lead is None:
            raise click.UsageError("max_average needs --max-usage and --max-lead")
        value = ss.max_average(max_usage, max_lead, avg_usage, avg_lead)
    else:
        if sd_usage is None:
            raise click.UsageError(f"{method} needs --sd-usage")
        value = (ss.statistical(service_level, sd_usage, avg_lead) if method == "statistical" else
                 ss.statistical_lead_time(service_level, sd_usage, avg_lead, avg_usage, sd_lead))
    click.echo(f"safety stock   {value:.4f}")
    click.echo(f"reorder point  {ss.reorder_point(avg_usage, avg_lead, value):.4f}")
