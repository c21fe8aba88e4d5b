"""Static rules: structural checks on syntax trees and secret detection, run offline."""
