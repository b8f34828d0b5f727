// Every recorded merge decision with its reason, by merged id (whole-store exports).
MATCH (m:Merge)
RETURN m.merged AS merged, m.canonical AS canonical, m.reason AS reason
ORDER BY m.merged
