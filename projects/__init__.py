"""Method packages of the densepre suite (imported as ``projects.<method>``)."""
