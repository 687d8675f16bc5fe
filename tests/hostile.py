"""Plans whose text attacks the report's reader (script tags, event handlers, javascript: links, CSS
injection), for the report tests with and without a browser."""

from __future__ import annotations

from pathlib import Path

HOSTILE = [
    "<script>window.xss = 1</script>",
    '<img src=x onerror="window.xss = 2">',
    '<a href="javascript:window.xss = 3">klik</a>',
    "</style><style>body{background:url(https://evil.example/x.png)}</style>",
    "\"'><svg onload=window.xss=4>",
    "</script><script>window.xss = 5</script>",
]

PLAN_SVB = """# Handhavingsplan Sociale Verzekeringsbank

## 2 Visie

Wij gaan uit van vertrouwen in onze klanten. De meeste mensen willen de regels naleven. {h0}

## 3 Sanctionering

Bij een eerste schending van de inlichtingenplicht zonder benadeling geven wij een waarschuwing en geen boete. {h1}

Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie om een uitkering te krijgen. {h2}
"""
PLAN_GEMEENTE = """# Handhavingsplan Gemeente Zuiderveen

## 2 Visie

Het college legt bij iedere schending van de inlichtingenplicht een boete op, ook wanneer er geen benadeling is. {h3}

## 3 Controle

Iedere uitkering wordt ieder jaar volledig heronderzocht, met een huisbezoek bij iedere klant. {h4}

Van fraude is sprake als de belanghebbende te veel bijstand heeft ontvangen. Opzet is daarvoor niet vereist. {h5}
"""


def write_hostile_plans(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fill = {f"h{k}": text for k, text in enumerate(HOSTILE)}
    (folder / "svb.md").write_text(PLAN_SVB.format(**fill), encoding="utf-8")
    (folder / "gemeente-zuiderveen.md").write_text(PLAN_GEMEENTE.format(**fill), encoding="utf-8")
    return folder
