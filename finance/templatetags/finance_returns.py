from django import template

register = template.Library()


@register.filter
def cell(row: dict, column: str) -> str:
    value = row.get(column)
    return "Not collected" if value is None or value == "" else value


@register.filter
def column_label(column: str) -> str:
    return column.replace("_", " ").capitalize()
