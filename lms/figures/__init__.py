"""The public "Program CAL w liczbach": every programme's figures by voivodeship, with a map."""
