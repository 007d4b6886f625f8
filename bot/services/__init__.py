"""Application services: the rules of the product applied to the database."""
