print("rq")
