"""The placement rows shared by the forms that start an episode: legal status, category of
need, placement type, the 903 provider code, the carer or home, the postcode."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit

from iro_desktop.domain import codes
from iro_desktop.ui.entry import code_combo
from iro_desktop.ui.entry_dialog import EntryDialog


class PlacementFields:
    """Adds the rows to `form` (fields named as the service names them)."""

    def __init__(
        self,
        dialog: EntryDialog,
        form: QFormLayout,
        *,
        with_legal_status: bool,
        new: bool,
        legal_status_needed: bool = True,
        with_need: bool = True,
    ) -> None:
        add = dialog.add
        if with_legal_status:
            add(
                form,
                "legal_status",
                "Legal s&tatus *:" if legal_status_needed else "Legal s&tatus:",
                code_combo(
                    codes.LEGAL_STATUSES, "Choose..." if legal_status_needed else "No change"
                ),
                "Legal status",
                "the legal status" if legal_status_needed else "",
            )
        if with_need:
            add(
                form,
                "category_of_need",
                "Categor&y of need:",
                code_combo(codes.CATEGORIES_OF_NEED, "Not recorded"),
                "Category of need",
            )
        place_codes = list(codes.PLACEMENT_TYPES)
        if not new:  # correcting an old episode may need a code the DfE has since retired
            place_codes += list(codes.LEGACY_PLACEMENT_TYPES)
        table = {**codes.PLACEMENT_TYPES, **codes.LEGACY_PLACEMENT_TYPES}
        add(
            form,
            "placement_type",
            "Pl&acement *:",
            code_combo(table, "Choose...", place_codes),
            "Placement",
            "the placement",
        )
        add(
            form,
            "place_provider",
            "Placement pro&vider:",
            code_combo(codes.PLACEMENT_PROVIDERS, "Not recorded"),
            "Placement provider (903 code)",
        )
        carer = QLineEdit()
        carer.setPlaceholderText("The carer's or the home's name")
        add(form, "provider", "Carer or &home:", carer, "Carer or home")
        postcode = QLineEdit()
        postcode.setPlaceholderText("e.g. M14 5RT")
        postcode.setMaxLength(9)
        add(form, "postcode", "Placement postcode:", postcode, "Placement postcode")
        add(
            form,
            "out_of_area",
            "",
            QCheckBox("Placed outside the council's area"),
            "Placed outside the council's area",
        )
        if new:
            add(
                form,
                "temporary_approval",
                "",
                QCheckBox("A relative or friend approved &temporarily as carer (reg 24)"),
                "Temporary approval (reg 24): the social worker visits weekly to the first review",
            )

    @staticmethod
    def placement_from(values: dict[str, Any]) -> Any:
        from iro_desktop.services.children import Placement

        return Placement(
            placement_type=str(values.get("placement_type", "")),
            place_provider=str(values.get("place_provider", "")),
            postcode=str(values.get("postcode", "")).strip().upper(),
            in_area=not values.get("out_of_area"),
            provider=str(values.get("provider", "")).strip(),
            temporary_approval=bool(values.get("temporary_approval")),
        )
