-- Ends with error() of a table value without __tostring: the standalone
-- interpreter reports "(error object is a table value)" and exits 1.
print("start")
error({code = 42})
