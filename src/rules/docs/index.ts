// The docs rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'
import descriptionQuality from './description-quality.js'
import destinationDescription from './destination-description.js'
import prTestingSection from './pr-testing-section.js'
import docsPage from './docs-page.js'

export const DOCS_RULES: Rule[] = [descriptionQuality, destinationDescription, prTestingSection, docsPage]
