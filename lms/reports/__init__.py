"""Programme reports for admins and trainers: tables per edition, voivodeship, module and month, charts, CSV."""
