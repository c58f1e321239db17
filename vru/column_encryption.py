"""A column written as plain text made encrypted at rest (vru.fields), and back: the data
migration that follows the change of a model's field to an encrypted one calls
`encrypt_column`, and its reverse `decrypt_column`, with the historical model.

Raw SQL, since the encrypted field would try to decrypt the plain text it reads. Each value is
sealed to its place (table, column, and the row the field binds: its primary key or its
`row_field`), as the field itself writes it, so it reads through the model straight away
and is not left for a key rotation to bind. Both directions leave alone what is already
done, so a migration run again, or after a partial run, changes nothing twice. Rows go in
batches in primary-key order, so a large table is never read into memory at once.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections

from vru.fields import Place, decrypt, encrypt, is_encrypted

BATCH = 1000


def encrypt_column(model, field_name: str, schema_editor, *, batch_size: int = BATCH) -> int:
    """Encrypt the plain values of `field_name` in place; returns how many rows it wrote."""
    return _rewrite(model, field_name, schema_editor, batch_size, _sealed)


def decrypt_column(model, field_name: str, schema_editor, *, batch_size: int = BATCH) -> int:
    """Write the encrypted values of `field_name` back as plain text (the migration's
    reverse); returns how many rows it wrote."""
    return _rewrite(model, field_name, schema_editor, batch_size, _opened)


def _sealed(stored: str, place: Place) -> str | None:
    return None if is_encrypted(stored) else encrypt(stored, place)


def _opened(stored: str, place: Place) -> str | None:
    return decrypt(stored, place) if is_encrypted(stored) else None


def _rewrite(
    model, field_name: str, schema_editor, batch_size: int, change: Callable[[str, Place], str]
) -> int:
    # a test calls a migration's function with no schema editor: the default database then
    connection = (
        schema_editor.connection if schema_editor is not None else connections[DEFAULT_DB_ALIAS]
    )
    meta = model._meta
    field = meta.get_field(field_name)
    row = meta.get_field(field.row_field) if getattr(field, "row_field", None) else meta.pk
    q = connection.ops.quote_name
    table, column, pk, row_column = (
        q(meta.db_table),
        q(field.column),
        q(meta.pk.column),
        q(row.column),
    )
    # names from the model, quoted; values as parameters
    select = f"SELECT {pk}, {row_column}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"  # noqa: S608
    written, after = 0, None
    with connection.cursor() as cursor:
        while True:
            if after is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch_size])
            else:
                cursor.execute(
                    f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [after, batch_size]
                )
            rows = cursor.fetchall()
            if not rows:
                return written
            changed = []
            for key, bound_to, stored in rows:
                value = change(stored, Place(meta.db_table, field.column, str(bound_to)))
                if value is not None:
                    changed.append((value, key))
            cursor.executemany(update, changed)
            written += len(changed)
            after = rows[-1][0]
