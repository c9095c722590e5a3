// Bounds on what constant folding may build, so hostile code cannot exhaust memory by doubling.
export const MAX_ARRAY_LENGTH = 100_000
export const MAX_STRING_LENGTH = 1_000_000
/** How deeply interpreted helpers may call each other (recursion included). */
export const MAX_CALL_DEPTH = 12
