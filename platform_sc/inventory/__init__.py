"""Inventory companion methods: safety stock / reorder points and deteriorating-item order levels."""
from .deteriorating import OrderLevelResult, average_cost, exact_average_cost, order_level
from .safety_stock import (LeadTimeDefaults, ProductionCalendar, SafetyStockPolicy, max_average, reorder_point,
                           safety_stock_plan, statistical, statistical_lead_time, time_based,
                           with_safety_stock_cost)

__all__ = ["OrderLevelResult", "average_cost", "exact_average_cost", "order_level", "LeadTimeDefaults",
           "ProductionCalendar", "SafetyStockPolicy", "max_average", "reorder_point", "safety_stock_plan",
           "statistical", "statistical_lead_time", "time_based", "with_safety_stock_cost"]
